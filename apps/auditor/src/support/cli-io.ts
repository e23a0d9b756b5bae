/** Where the CLI talks: process streams in main.ts, captured buffers in tests. */
export interface OutputStream {
  write(text: string): boolean;
  /** Present on real streams: lets long outputs wait for the pipe to drain. */
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  /** Progress and diagnostics; progress renders only when this is a TTY. */
  stderr: OutputStream;
  env: Record<string, string | undefined>;
}

/** Exit statuses: 0 pass, 1 the log (or proof) failed verification, 2 the command could not run. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Writes with back-pressure, so exporting a million events never buffers them all in memory. */
export async function writeChunk(stream: OutputStream, text: string): Promise<void> {
  if (stream.write(text) || stream.once === undefined) return;
  await new Promise<void>((resolve) => stream.once?.('drain', resolve));
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A user-facing failure: printed without a stack trace, exits with `code`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
  }
}
