import type { JSONEventData, RecordedEvent } from '@kurrent/kurrentdb-client';
import type { StoredEvent } from '../port/event-store.port';
import { KurrentDbCorruptEventError } from './kurrentdb-errors';
import { parsePosition, randomRecordId, requireText } from './kurrentdb-mapping';

/*
 * The records of our own bookkeeping streams (decision 0006): `LogCreated` and the position
 * markers in `<prefix>.log`, and the event-id reservations. Pure, unit-tested without a server.
 */

export const LOG_CREATED = 'LogCreated';
export const POSITION_ASSIGNED = 'PositionAssigned';
export const EVENT_ID_RESERVED = 'EventIdReserved';

/** Revision 0 of the position log: the log's identity, created with it. */
export function logCreatedEvent(logId: string, createdAt: string): JSONEventData {
  return {
    id: randomRecordId(),
    contentType: 'application/json',
    type: LOG_CREATED,
    data: { logId, createdAt },
    metadata: undefined,
  };
}

export function parseLogCreated(recorded: RecordedEvent): string {
  const data = objectData(recorded, LOG_CREATED);
  const { logId } = data;
  if (typeof logId !== 'string' || logId.length === 0) {
    throw new KurrentDbCorruptEventError(`${recorded.streamId}@0`, 'has no log id');
  }
  return logId;
}

/**
 * The marker of position n (revision n of the position log). `batchStart` is the first position
 * of the same append: a reader seeking position n skips n - batchStart events of that transaction.
 */
export interface PositionMarker {
  position: bigint;
  batchStart: bigint;
  streamId: string;
  streamVersion: number;
  eventId: string;
  hash: string;
  recordedAt: string;
}

export function markerEvent(event: StoredEvent, batchStart: bigint): JSONEventData {
  const data = {
    position: event.position.toString(),
    batchStart: batchStart.toString(),
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    hash: event.metadata.hash,
    recordedAt: event.metadata.recordedAt,
  };
  // A fresh record id: the server's idempotency by id must never turn a stale marker into a no-op.
  return {
    id: randomRecordId(),
    contentType: 'application/json',
    type: POSITION_ASSIGNED,
    data,
    metadata: undefined,
  };
}

export function parseMarker(recorded: RecordedEvent): PositionMarker {
  const where = `${recorded.streamId}@${recorded.revision}`;
  const data = objectData(recorded, POSITION_ASSIGNED);
  const text = (key: string): string => requireText(data, key, where);
  const marker: PositionMarker = {
    position: parsePosition(text('position'), `${where}.position`),
    batchStart: parsePosition(text('batchStart'), `${where}.batchStart`),
    streamId: text('streamId'),
    streamVersion: wholeNumber(data.streamVersion, `${where}.streamVersion`),
    eventId: text('eventId'),
    hash: text('hash'),
    recordedAt: text('recordedAt'),
  };
  if (marker.position !== recorded.revision) {
    throw new KurrentDbCorruptEventError(
      where,
      `marks position ${marker.position} at revision ${recorded.revision}`,
    );
  }
  return marker;
}

/** The tiny event that claims an event id, in the id's own stream, written with "no stream". */
export function reservationEvent(event: StoredEvent): JSONEventData {
  const data = { eventId: event.eventId, streamId: event.streamId, position: event.position.toString() };
  return {
    id: randomRecordId(),
    contentType: 'application/json',
    type: EVENT_ID_RESERVED,
    data,
    metadata: undefined,
  };
}

/**
 * Where `readAll` starts reading `$all` for positions after `after`, given the marker of `after + 1`
 * (whose append began at `batchStart`): at the previous append's last marker (or LogCreated,
 * revision 0). Every record of an earlier append precedes every record of a later one in `$all`,
 * so this anchor comes before all our events of the wanted append, whatever order a server gives
 * the records within one append; the read skips what lies at or before `after`.
 * `maxCount` bounds the read: the previous append's events (some may follow its marker), the
 * wanted append's events up to `after`, and the page itself.
 */
export function seekPlan(
  after: bigint,
  batchStart: bigint,
  wanted: number,
): { anchorRevision: bigint; maxCount: (anchor: PositionMarker | undefined) => number } {
  const anchorRevision = batchStart - 1n;
  return {
    anchorRevision,
    maxCount: (anchor) => {
      const previousBatch = anchor === undefined ? 0n : anchor.position - anchor.batchStart + 1n;
      return Number(previousBatch + (after + 1n - batchStart)) + wanted;
    },
  };
}

function objectData(recorded: RecordedEvent, type: string): Record<string, unknown> {
  const where = `${recorded.streamId}@${recorded.revision}`;
  if (recorded.type !== type)
    throw new KurrentDbCorruptEventError(where, `is ${recorded.type}, expected ${type}`);
  const data: unknown = recorded.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || data instanceof Uint8Array) {
    throw new KurrentDbCorruptEventError(where, 'has no JSON object data');
  }
  return data as Record<string, unknown>;
}

function wholeNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new KurrentDbCorruptEventError(where, `is not a stream version: ${String(value)}`);
  }
  return value;
}
