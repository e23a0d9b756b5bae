import {
  GENESIS_HASH,
  canonicalJsonCopy,
  canonicalJsonValue,
  hashEventWithCanonicalData,
} from '@app/integrity';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type Clock,
  type EventContext,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
  type StoredEventMetadata,
} from '../port/event-store.port';
import { InvalidAppendError } from './errors';
import { toJsonValue, type JsonValue } from './json-value';

/**
 * The adapter-independent half of `append`: validation, the expected-version rule, time and hashes.
 * Adapters only look up the current state, call these, and write the result, so every store hashes
 * and versions identically.
 */

/** A stream's tip as the adapter found it inside its write transaction. */
export interface StreamTip {
  /** 0 when the stream does not exist. */
  version: number;
  /** GENESIS_HASH when the stream does not exist. */
  lastHash: string;
}

export const EMPTY_STREAM: StreamTip = { version: 0, lastHash: GENESIS_HASH };

/** A validated event: data copied as plain JSON, metadata reduced to the known context keys. */
export interface CheckedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  /** A copy of the caller's data, as `DataCopy` says. */
  data: JsonValue;
  /**
   * The RFC 8785 canonical text of `data`, computed once: the hash covers it and the stores write
   * it as the event's data text (a verifier can then hash stored text without canonicalizing).
   */
  dataText: string;
  context: EventContext;
}

/** Everything of a stored event except the position, which only the adapter can assign. */
export type PendingEvent = Omit<StoredEvent, 'position'> & { data: JsonValue };

/**
 * How `CheckedEvent.data` copies the caller's data. `caller-order`: its keys in the caller's order
 * (JSON.parse of JSON.stringify), for stores that write JSON.stringify of it (PostgreSQL, KurrentDB).
 * `stored-text`: JSON.parse of the canonical text, for stores that write that text (SQLite, memory):
 * what an append returns is then exactly what a read returns later, key order included.
 */
export type DataCopy = 'caller-order' | 'stored-text';

/** Rejects malformed input before any lookup, so a bad batch never touches the store. */
export function checkAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  copy: DataCopy = 'caller-order',
): CheckedEvent[] {
  requireText(streamId, 'streamId');
  checkExpected(expected);
  const batch: unknown = events;
  // Through `unknown`: loosely typed callers exist, and narrowing `events` itself would make it any[].
  if (!Array.isArray(batch)) throw new InvalidAppendError(`append to ${streamId}: events must be an array`);
  if (events.length === 0) {
    throw new InvalidAppendError(`append to ${streamId}: the batch is empty; send at least one event`);
  }
  const checked = events.map((event, index) => checkEvent(event, `events[${index}]`, copy));
  rejectRepeatedIds(checked);
  return checked;
}

function checkExpected(expected: ExpectedVersion): void {
  if (expected === 'any') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidAppendError(
      `expected version must be 'any' or an integer >= 0, got ${String(expected)}`,
    );
  }
}

function checkEvent(event: NewEvent, path: string, copy: DataCopy): CheckedEvent {
  requireText(event.eventId, `${path}.eventId`);
  requireText(event.type, `${path}.type`);
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
    throw new InvalidAppendError(`${path}.schemaVersion must be an integer >= 1`);
  }
  if (event.data === undefined) throw new InvalidAppendError(`${path}.data is missing`);
  const { text, data } =
    copy === 'stored-text' ? storedTextCopy(event.data, path) : callerOrderCopy(event.data, path);
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data,
    dataText: text,
    context: checkContext(event.metadata, `${path}.metadata`),
  };
}

/**
 * One pass that validates, serialises and copies: the copy is what JSON.parse of the text gives,
 * built on the way (decision 0035) rather than by parsing the text again.
 */
function storedTextCopy(value: unknown, path: string): { text: string; data: JsonValue } {
  const canonical = canonicalJsonCopy(value);
  if (canonical === undefined) rejectData(value, `${path}.data`);
  return { text: canonical.text, data: canonical.copy as JsonValue };
}

function callerOrderCopy(value: unknown, path: string): { text: string; data: JsonValue } {
  const text = canonicalJsonValue(value);
  if (text === undefined) rejectData(value, `${path}.data`);
  // Validated plain JSON survives JSON's round trip exactly (-0 becomes 0, as toJsonValue made it).
  return { text, data: JSON.parse(JSON.stringify(value)) as JsonValue };
}

/**
 * canonicalJsonValue accepts exactly what toJsonValue accepts (a property test holds them
 * together); where it declines, toJsonValue names the problem.
 */
function rejectData(data: unknown, path: string): never {
  toJsonValue(data, path);
  throw new InvalidAppendError(`${path} is not plain JSON`);
}

/**
 * Keeps only the keys the hash covers: an extra key would be stored but not protected by the hash,
 * and an undefined-valued one would not survive a round trip.
 */
function checkContext(metadata: EventContext | undefined, path: string): EventContext {
  if (typeof metadata !== 'object' || metadata === null) throw new InvalidAppendError(`${path} is missing`);
  const context: EventContext = {
    principal: requireText(metadata.principal, `${path}.principal`),
    correlationId: requireText(metadata.correlationId, `${path}.correlationId`),
  };
  if (metadata.causationId !== undefined) {
    context.causationId = requireText(metadata.causationId, `${path}.causationId`);
  }
  if (metadata.idempotencyKey !== undefined) {
    context.idempotencyKey = requireText(metadata.idempotencyKey, `${path}.idempotencyKey`);
  }
  return context;
}

function rejectRepeatedIds(events: readonly CheckedEvent[]): void {
  const seen = new Set<string>();
  for (const { eventId } of events) {
    if (seen.has(eventId)) throw new DuplicateEventError(eventId);
    seen.add(eventId);
  }
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidAppendError(`${name} must be a non-empty string`);
  }
  return value;
}

/** The optimistic-concurrency rule: a number must equal the current version, 0 = must not exist. */
export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, tip: StreamTip): void {
  if (expected !== 'any' && expected !== tip.version) {
    throw new WrongExpectedVersionError(streamId, expected, tip.version);
  }
}

/**
 * `recordedAt` for a commit: the clock, but never earlier than the last recorded event, so
 * `positionAt` and "as of" reads stay consistent with position order if the clock steps back.
 * Fixed-width ISO strings (years 0000-9999) compare correctly as text.
 */
export function nextRecordedAt(clock: Clock, lastRecordedAt: string | undefined): string {
  const now = clock.now();
  const year = now.getUTCFullYear();
  if (Number.isNaN(now.getTime()) || year < 0 || year > 9999) {
    throw new RangeError(`the clock returned an unusable time: ${String(now)}`);
  }
  const iso = now.toISOString();
  return lastRecordedAt !== undefined && lastRecordedAt > iso ? lastRecordedAt : iso;
}

/** Versions and hash-chains the batch onto the tip; all events of one commit share `recordedAt`. */
export function chainEvents(
  streamId: string,
  events: readonly CheckedEvent[],
  tip: StreamTip,
  recordedAt: string,
): PendingEvent[] {
  let prevHash = tip.lastHash;
  return events.map((event, index) => {
    const pending = pendingEvent(streamId, event, tip.version + index + 1, recordedAt, prevHash);
    prevHash = pending.metadata.hash;
    return pending;
  });
}

/** The hash is `hashEvent`'s, computed from the canonical data text rather than the value. */
function pendingEvent(
  streamId: string,
  event: CheckedEvent,
  streamVersion: number,
  recordedAt: string,
  prevHash: string,
): PendingEvent {
  const { eventId, type, schemaVersion } = event;
  const metadata = storedMetadata(event.context, recordedAt, prevHash);
  // The hash reads only the hashed keys of `metadata`, so its own (still empty) slot is harmless.
  metadata.hash = hashEventWithCanonicalData(
    { eventId, streamId, streamVersion, type, schemaVersion, metadata, prevHash },
    event.dataText,
  );
  return { eventId, streamId, streamVersion, type, schemaVersion, data: event.data, metadata };
}

/**
 * `{ ...context, recordedAt, hash, prevHash }`, key for key (the checked context has only these
 * keys), without the spread: this runs for every appended event.
 */
function storedMetadata(context: EventContext, recordedAt: string, prevHash: string): StoredEventMetadata {
  const { principal, correlationId, causationId, idempotencyKey } = context;
  if (causationId === undefined && idempotencyKey === undefined) {
    return { principal, correlationId, recordedAt, hash: '', prevHash };
  }
  return { ...context, recordedAt, hash: '', prevHash };
}

/** The canonical data text of the event chainEvents made from `events[index]` (same order). */
export function dataTextOf(events: readonly CheckedEvent[], index: number): string {
  const event = events[index];
  if (event === undefined) throw new Error(`unreachable: no checked event at index ${index}`);
  return event.dataText;
}
