import {
  type AppendResult,
  DuplicateEventError,
  EventStoreClosedError,
  type ExpectedVersion,
  InvalidAppendError,
  type NewEvent,
  WrongExpectedVersionError,
} from '@app/event-store';
import type { NewReservation, StoredResponse } from '../../idempotency/idempotency.port';

/**
 * The messages between the API's main thread and the SQLite writer thread (docs/decisions/0025).
 * Structured clone carries them: plain objects, strings, numbers and bigints only.
 */

/** What the worker is started with (`workerData`). */
export interface WriterStart {
  path: string;
}

/** An IdempotencyStore method the writer runs on its connection (ThreadedIdempotencyStore). */
export type IdempotencyCall =
  | { method: 'reserve'; entry: NewReservation }
  | { method: 'complete'; keyDigest: string; key: string; token: string; response: StoredResponse }
  | { method: 'release'; keyDigest: string; key: string; token: string }
  | { method: 'abandoned' };

export type ToWriter =
  | { kind: 'append'; id: number; streamId: string; events: readonly NewEvent[]; expected: ExpectedVersion }
  | { kind: 'idempotency'; id: number; call: IdempotencyCall }
  /** Project what others appended (a CLI import, another process on the file): the slow poll. */
  | { kind: 'catch-up' }
  | { kind: 'close' };

export type FromWriter =
  /** The worker opened the file and brought the read models up to date: the app may start. */
  | { kind: 'ready'; projected: bigint }
  | { kind: 'failed-to-start'; error: WireError }
  | { kind: 'appended'; head: bigint }
  | { kind: 'projected'; position: bigint }
  | { kind: 'append-done'; id: number; result: AppendResult }
  | { kind: 'append-failed'; id: number; error: WireError }
  /** The answer of an `idempotency` call: what the IdempotencyStore method resolved with. */
  | { kind: 'call-done'; id: number; value: unknown }
  | { kind: 'call-failed'; id: number; error: WireError }
  | { kind: 'log'; level: 'warn' | 'error'; message: string }
  | { kind: 'closed' };

/** An error as it crosses the thread boundary: its class by name and the fields it carries. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  streamId?: string;
  expected?: ExpectedVersion;
  actual?: number;
  eventId?: string;
  code?: string;
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = error as Error & Omit<WireError, 'name' | 'message' | 'stack'>;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(fields.streamId === undefined ? {} : { streamId: fields.streamId }),
    ...(fields.expected === undefined ? {} : { expected: fields.expected }),
    ...(fields.actual === undefined ? {} : { actual: fields.actual }),
    ...(fields.eventId === undefined ? {} : { eventId: fields.eventId }),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
  };
}

/**
 * The same error class on this side: callers branch on `instanceof` (WrongExpectedVersionError is
 * a lost race, DuplicateEventError a retry that already committed). Anything else keeps its name,
 * message and code on a plain Error.
 */
export function fromWire(wire: WireError): Error {
  let error: Error;
  switch (wire.name) {
    case 'WrongExpectedVersionError':
      error = new WrongExpectedVersionError(wire.streamId ?? '', wire.expected ?? 'any', wire.actual ?? -1);
      break;
    case 'DuplicateEventError':
      error = new DuplicateEventError(wire.eventId ?? '');
      break;
    case 'InvalidAppendError':
      error = new InvalidAppendError(wire.message);
      break;
    case 'EventStoreClosedError':
      error = new EventStoreClosedError();
      break;
    default:
      error = Object.assign(new Error(wire.message), {
        name: wire.name,
        ...(wire.code === undefined ? {} : { code: wire.code }),
      });
  }
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
