/*
 * The adapter's own errors, with stable codes. Kept apart from the translation code so that
 * importing them (or `@app/event-store`) never loads the KurrentDB client and its native module.
 */

/** The server cannot be reached (down, wrong URL, no leader in time): retry later, nothing was written or it is unknown. */
export class KurrentDbUnavailableError extends Error {
  override readonly name = 'KurrentDbUnavailableError';
  readonly code = 'KURRENTDB_UNAVAILABLE';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`KurrentDB is not reachable: ${detail}`, options);
  }
}

/**
 * The server or the connection's user cannot do what the store needs: a server older than 25.1
 * (no multi-stream append), or a user not allowed to read `$all` or write our streams.
 */
export class KurrentDbSetupError extends Error {
  override readonly name = 'KurrentDbSetupError';
  readonly code = 'KURRENTDB_SETUP';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`KurrentDB cannot serve this log: ${detail}`, options);
  }
}

/** Something in our streams that we did not write, or that lost its fields: never guessed around. */
export class KurrentDbCorruptEventError extends Error {
  override readonly name = 'KurrentDbCorruptEventError';
  readonly code = 'KURRENTDB_CORRUPT_EVENT';
  constructor(
    readonly where: string,
    problem: string,
  ) {
    super(`KurrentDB record ${where} ${problem}`);
  }
}

/** One of our streams was deleted or tombstoned on the server: the log is no longer append-only. */
export class KurrentDbStreamDeletedError extends Error {
  override readonly name = 'KurrentDbStreamDeletedError';
  readonly code = 'KURRENTDB_STREAM_DELETED';
  constructor(readonly streamName: string) {
    super(
      `KurrentDB stream ${streamName} was deleted; the ledger never deletes, so the log has been tampered with`,
    );
  }
}

/** Other writers kept moving the position log for longer than the retry budget. */
export class KurrentDbContentionError extends Error {
  override readonly name = 'KurrentDbContentionError';
  readonly code = 'KURRENTDB_CONTENTION';
  constructor(attempts: number) {
    super(`the KurrentDB position log kept moving: gave up after ${attempts} attempts`);
  }
}
