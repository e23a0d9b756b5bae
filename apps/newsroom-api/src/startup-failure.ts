/** Where the server was asked to listen, for messages about the address. */
export interface ListenTarget {
  host: string;
  port: number;
}

export interface StartupFailure {
  /** One line, without a stack trace, saying what failed and what to change. */
  line: string;
  /** A known cause (the address, a permission): the stack adds nothing, even in the log. */
  expected: boolean;
}

/** Socket errors of listen(): what to say, and the variable that fixes it. */
const LISTEN_ERRORS: Record<string, (target: ListenTarget) => string> = {
  EADDRINUSE: () => 'the port is already in use (stop the other server or set PORT)',
  EACCES: () => 'permission denied (ports below 1024 need privileges; set PORT)',
  EADDRNOTAVAIL: (target) => `${target.host} is not an address of this machine (set HOST)`,
  ENOTFOUND: (target) => `the host name ${target.host} does not resolve (set HOST)`,
};

/**
 * One line an operator can act on for an error that stopped the API starting: the terminal gets
 * this, not a stack trace. Socket errors name the address and the variable to change; anything
 * else keeps its own message (first line) and code.
 */
export function describeStartupFailure(error: unknown, target: ListenTarget | undefined): StartupFailure {
  const code = errorCode(error);
  const listenError = code === undefined ? undefined : LISTEN_ERRORS[code];
  if (listenError !== undefined && target !== undefined) {
    return { line: `cannot listen on ${target.host}:${target.port}: ${listenError(target)}`, expected: true };
  }
  const message = firstLine(messageOf(error));
  const withCode = code !== undefined && !message.includes(code) ? `${message} (${code})`.trim() : message;
  return { line: `cannot start: ${withCode || 'unknown error'}`, expected: false };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Connecting to every address of a name fails as an AggregateError with no code of its own.
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0)
    return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message;
  return String(error);
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim();
}
