import { createHash } from 'node:crypto';
import {
  ANY,
  NO_STREAM,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type Filter,
  type JSONEventData,
  type Position,
  type RecordedEvent,
} from '@kurrent/kurrentdb-client';
import type { EventContext, ExpectedVersion, StoredEvent } from '../port/event-store.port';
import type { KurrentDbStreamNames } from './kurrentdb-names';
import { KurrentDbCorruptEventError } from './kurrentdb-errors';

/*
 * Pure translations between our events and KurrentDB's. No I/O here: every function is unit-tested
 * without a server (kurrentdb-mapping.unit.spec.ts).
 */

/** Our versions are 1-based (0 = no stream); KurrentDB revisions are 0-based. */
export function expectedVersionToStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  return versionToStreamState(expected);
}

/** The exact state a stream must be in for a version we read: 0 → no stream, n → revision n-1. */
export function versionToStreamState(version: number): Exclude<AppendStreamState, 'any' | 'stream_exists'> {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`not a stream version: ${version}`);
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/**
 * The server's current state → our version. Negative revisions are how KurrentDB reports deleted
 * (-5) and tombstoned (-6) streams: there is no version for those, the caller reports the deletion.
 */
export function currentStateToVersion(state: CurrentStreamState): number | undefined {
  if (state === NO_STREAM) return 0;
  if (typeof state !== 'bigint' || state < 0n) return undefined;
  return Number(state) + 1;
}

/** A revision read back → our 1-based version. */
export function revisionToVersion(revision: bigint): number {
  return Number(revision) + 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Our UUIDv5 namespace for event ids that are not UUIDs (a fixed random UUID, never change it). */
const EVENT_ID_NAMESPACE = 'a6f4c1d2-7b3e-4f0a-9c85-2d1e6b7f9a30';

/**
 * KurrentDB record ids must be UUIDs; ours are any non-empty text. A UUID is kept (lower-cased, as
 * the server does); anything else becomes its RFC 9562 name-based UUIDv5, so the same event id always
 * gets the same record id. Our exact id is kept in the metadata and is what reads return.
 */
export function recordIdFor(eventId: string): string {
  return UUID.test(eventId) ? eventId.toLowerCase() : uuidV5(eventId, EVENT_ID_NAMESPACE);
}

/** RFC 9562 UUIDv5: SHA-1 of namespace bytes and name, version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Our metadata as KurrentDB record properties. `multiStreamAppend` takes string values only, so
 * numbers travel as decimal text. No `$`-prefixed keys (`$correlationId`): the server adds its own
 * `$schema.*` properties and we do not risk colliding with reserved names. `writer` names the
 * process that appended (its subscription skips its own events, which it has already signalled).
 */
export type LedgerProperties = Record<string, string>;

export function toEventData(event: StoredEvent, writer: string): JSONEventData {
  const { metadata } = event;
  const properties: LedgerProperties = {
    eventId: event.eventId,
    schemaVersion: String(event.schemaVersion),
    position: event.position.toString(),
    principal: metadata.principal,
    correlationId: metadata.correlationId,
    recordedAt: metadata.recordedAt,
    hash: metadata.hash,
    prevHash: metadata.prevHash,
    writer,
  };
  if (metadata.causationId !== undefined) properties.causationId = metadata.causationId;
  if (metadata.idempotencyKey !== undefined) properties.idempotencyKey = metadata.idempotencyKey;
  return {
    id: recordIdFor(event.eventId),
    contentType: 'application/json',
    type: event.type,
    // JsonValue (checked by the core) is wider than the client's JSONType; the client only stringifies it.
    data: event.data as JSONEventData['data'],
    metadata: properties,
  };
}

/** A recorded event of one of our streams → ours; throws on anything we did not write. */
export function fromRecordedEvent(recorded: RecordedEvent, names: KurrentDbStreamNames): StoredEvent {
  const where = `${recorded.streamId}@${recorded.revision}`;
  const streamId = names.toStreamId(recorded.streamId);
  if (streamId === undefined) throw new KurrentDbCorruptEventError(where, 'is not in one of our streams');
  if (!recorded.isJson) throw new KurrentDbCorruptEventError(where, 'is not JSON');
  const props = propertiesOf(recorded.metadata, where);
  const text = (key: string): string => requireText(props, key, where);
  const context: EventContext = { principal: text('principal'), correlationId: text('correlationId') };
  if (props.causationId !== undefined) context.causationId = text('causationId');
  if (props.idempotencyKey !== undefined) context.idempotencyKey = text('idempotencyKey');
  return {
    eventId: text('eventId'),
    streamId,
    streamVersion: revisionToVersion(recorded.revision),
    position: parsePosition(text('position'), `${where}.position`),
    type: recorded.type,
    schemaVersion: parseWhole(text('schemaVersion'), `${where}.schemaVersion`),
    data: recorded.data,
    metadata: { ...context, recordedAt: text('recordedAt'), hash: text('hash'), prevHash: text('prevHash') },
  };
}

/** Just enough of an event to route a subscription signal without parsing the whole event. */
export function signalOf(recorded: RecordedEvent): { position: bigint; writer: string } | undefined {
  const meta = recorded.metadata;
  if (typeof meta !== 'object' || meta === null || meta instanceof Uint8Array || Array.isArray(meta)) {
    return undefined;
  }
  const { position, writer } = meta as Record<string, unknown>;
  if (typeof position !== 'string' || typeof writer !== 'string' || !/^[1-9]\d*$/.test(position)) {
    return undefined;
  }
  return { position: BigInt(position), writer };
}

/** The server-side `$all` filter for our streams (stream-name prefix). */
export function ourStreamsFilter(
  names: KurrentDbStreamNames,
  checkpointReached?: (position: Position) => void,
): Filter {
  return streamNameFilter({
    prefixes: [names.dataPrefix],
    ...(checkpointReached
      ? { checkpointReached: (_: unknown, position: Position) => checkpointReached(position) }
      : {}),
  });
}

export function randomRecordId(): string {
  return globalThis.crypto.randomUUID();
}

function propertiesOf(metadata: unknown, where: string): Record<string, unknown> {
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    metadata instanceof Uint8Array
  ) {
    throw new KurrentDbCorruptEventError(where, 'has no ledger metadata');
  }
  return metadata as Record<string, unknown>;
}

export function requireText(from: Record<string, unknown>, key: string, where: string): string {
  const value = from[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new KurrentDbCorruptEventError(where, `has no ${key}`);
  }
  return value;
}

export function parsePosition(text: string, what: string): bigint {
  if (!/^(0|[1-9]\d*)$/.test(text)) throw new KurrentDbCorruptEventError(what, `is not a position: ${text}`);
  return BigInt(text);
}

function parseWhole(text: string, what: string): number {
  const value = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new KurrentDbCorruptEventError(what, `is not a whole number: ${text}`);
  }
  return value;
}
