import {
  AccessDeniedError,
  AppendConsistencyViolationError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  convertToCommandError,
  isCommandError,
  type CurrentStreamState,
} from '@kurrent/kurrentdb-client';
import { InvalidAppendError } from '../core/errors';
import type { KurrentDbStreamNames } from './kurrentdb-names';
import {
  KurrentDbSetupError,
  KurrentDbStreamDeletedError,
  KurrentDbUnavailableError,
} from './kurrentdb-error-classes';

export * from './kurrentdb-error-classes';

/*
 * The client's errors translated into what the port promises (WrongExpectedVersionError,
 * DuplicateEventError are built by the store from the outcomes below) or into errors of our own
 * with stable codes. Anything not recognised is passed through unchanged rather than guessed at.
 */

/** What went wrong with one atomic multi-stream append, in the store's terms. */
export type AppendOutcome =
  /** Another writer took the next position first: read the head again and retry. */
  | { kind: 'log-moved' }
  /** Our stream is not where we read it: `actualVersion` is the version the server saw. */
  | { kind: 'stream-moved'; actualVersion: number }
  /** An event id's reservation stream exists: the id is stored already. */
  | { kind: 'duplicate-id'; reservationStream: string };

/**
 * Classifies a rejected `multiStreamAppend`: expected-revision conflicts (v2 protocol:
 * WrongExpectedVersionError built from StreamRevisionConflict; a server with consistency checks:
 * AppendConsistencyViolationError) become an outcome; everything else becomes an error to throw.
 */
export function classifyAppendError(raw: unknown, names: KurrentDbStreamNames): AppendOutcome | Error {
  const error = commandErrorOf(raw);
  const conflict = conflictOf(error);
  if (conflict === undefined) return translateError(error);
  const { streamName, actual } = conflict;
  if (streamName === names.logStream) return { kind: 'log-moved' };
  if (names.isEventIdStream(streamName)) return { kind: 'duplicate-id', reservationStream: streamName };
  if (typeof actual === 'bigint' && actual < 0n) return new KurrentDbStreamDeletedError(streamName);
  if (actual === 'no_stream') return { kind: 'stream-moved', actualVersion: 0 };
  if (typeof actual === 'bigint') return { kind: 'stream-moved', actualVersion: Number(actual) + 1 };
  return translateError(error);
}

function conflictOf(error: unknown): { streamName: string; actual: CurrentStreamState } | undefined {
  if (error instanceof KurrentWrongExpectedVersionError) {
    return { streamName: error.streamName, actual: error.actualState };
  }
  if (error instanceof AppendConsistencyViolationError) {
    const [first] = error.violations;
    return first === undefined ? undefined : { streamName: first.streamName, actual: first.actualState };
  }
  return undefined;
}

/**
 * Some client paths (a channel that cannot connect, a failed append stream) reject with the raw
 * gRPC error, `{ code: 14, details }`, instead of the client's error classes: convert those the
 * way the client does elsewhere, so "server down" is recognised whichever path failed.
 */
export function commandErrorOf(error: unknown): unknown {
  if (!(error instanceof Error) || isCommandError(error)) return error;
  const raw = error as Error & { code?: unknown; details?: unknown };
  if (typeof raw.code !== 'number' || typeof raw.details !== 'string') return error;
  try {
    return convertToCommandError(error);
  } catch {
    // Not shaped quite like a gRPC ServiceError: still, these status codes mean "not reachable".
    return NOT_REACHABLE.has(raw.code) ? new UnavailableError(undefined, raw.message) : error;
  }
}

/** gRPC status codes: 1 CANCELLED, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE. */
const NOT_REACHABLE = new Set([1, 4, 14]);

/** Connection-level and size errors → ours; anything else unchanged. */
export function translateError(raw: unknown): Error {
  const error = commandErrorOf(raw);
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError
  ) {
    return new KurrentDbUnavailableError(error.message, { cause: error });
  }
  if (error instanceof MaxAppendSizeExceededError || error instanceof TransactionMaxSizeExceededError) {
    return new InvalidAppendError(
      `the batch is larger than the KurrentDB server accepts in one append (${error.message}); send fewer or smaller events, or raise the server's limit`,
    );
  }
  if (error instanceof UnsupportedError) {
    return new KurrentDbSetupError(`${error.feature} needs KurrentDB ${error.minimumVersion} or later`, {
      cause: error,
    });
  }
  if (error instanceof AccessDeniedError) {
    return new KurrentDbSetupError(
      "access denied: the user in KURRENTDB_URL must be allowed to read $all and write the log's streams",
      { cause: error },
    );
  }
  if (error instanceof StreamDeletedError) return new KurrentDbStreamDeletedError(error.streamName);
  if (error instanceof StreamTombstonedError) return new KurrentDbStreamDeletedError(error.stream);
  return error instanceof Error ? error : new Error(String(error));
}

/** Reading a stream that does not exist is not an error for us: it is an empty stream. */
export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}
