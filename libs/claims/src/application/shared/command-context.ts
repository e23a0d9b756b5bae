/** Who sent a command and under what conditions; filled in by the HTTP (or CLI) adapter. */
export interface CommandContext {
  principal: string;
  correlationId: string;
  idempotencyKey?: string;
  /** The id of the request that caused the events (an idempotent request's command id). */
  causationId?: string;
  /** From `If-Match`: the stream version the caller last saw. */
  expectedVersion?: number;
}

/** What every successful write answers (API.md, Writes). */
export interface WriteResult {
  id: string;
  streamVersion: number;
  position: bigint;
}

/** `If-Match` named a version the stream is no longer (or not yet) at. */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`If-Match names version ${expected}, but ${streamId} is at version ${actual}`);
  }
}
