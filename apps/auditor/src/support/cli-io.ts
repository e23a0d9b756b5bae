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

/**
 * The reader of our output went away (`audit replay | head`): not a failure of the audit. Thrown by
 * the next write, so the command stops, its `finally` blocks clean up, and the CLI exits 0 quietly.
 */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

/**
 * process.stdout for the CLI. A closed pipe surfaces as an asynchronous EPIPE 'error' event, which
 * unhandled kills the process with a stack trace; here it is recorded instead, wakes a write waiting
 * for 'drain' (which would never come), and makes every later write throw OutputClosedError.
 */
export function guardedOutput(stream: NodeJS.WriteStream): OutputStream {
  let failure: Error | undefined;
  const waiting = new Set<() => void>();
  stream.on('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'EPIPE' ? new OutputClosedError('stdout was closed') : error;
    for (const wake of waiting) wake();
    waiting.clear();
  });
  return {
    isTTY: stream.isTTY,
    write(text: string): boolean {
      if (failure !== undefined) throw failure;
      return stream.write(text);
    },
    once(event: 'drain', listener: () => void): unknown {
      if (failure !== undefined) return listener();
      const wake = (): void => {
        waiting.delete(wake);
        stream.off(event, wake);
        listener();
      };
      waiting.add(wake);
      return stream.once(event, wake);
    },
  };
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
