import { GENESIS_HASH, rehashStored } from '@app/integrity';
import type { EventContext, StoredEvent } from '../port/event-store.port';
import { InvalidAppendError } from './errors';
import type { StreamTip } from './append-plan';
import { toJsonValue } from './json-value';

/** What an adapter knows of its log before an imported batch. */
export interface ImportBase {
  head: bigint;
  lastRecordedAt: string | undefined;
  tip(streamId: string): StreamTip;
  hasEventId(eventId: string): boolean;
}

/**
 * Checks a batch of recorded events against the store and itself before anything is written: each
 * hash must recompute, each event must chain onto its stream, positions must increase and times
 * must not go back. Returns the streams' new tips, for the adapter to save with the rows.
 */
export function checkImport(events: readonly StoredEvent[], base: ImportBase): Map<string, StreamTip> {
  const tips = new Map<string, StreamTip>();
  const ids = new Set<string>();
  let head = base.head;
  let lastRecordedAt = base.lastRecordedAt;
  for (const event of events) {
    const where = `imported event ${event.eventId} (position ${event.position})`;
    toJsonValue(event.data, `${where}.data`);
    if (event.position <= head) throw new InvalidAppendError(`${where} does not come after position ${head}`);
    if (lastRecordedAt !== undefined && event.metadata.recordedAt < lastRecordedAt) {
      throw new InvalidAppendError(`${where} was recorded before the event preceding it`);
    }
    if (ids.has(event.eventId) || base.hasEventId(event.eventId)) {
      throw new InvalidAppendError(`${where} repeats an event id`);
    }
    const tip = tips.get(event.streamId) ?? base.tip(event.streamId);
    checkLink(event, tip, where);
    tips.set(event.streamId, { version: event.streamVersion, lastHash: event.metadata.hash });
    ids.add(event.eventId);
    head = event.position;
    lastRecordedAt = event.metadata.recordedAt;
  }
  return tips;
}

function checkLink(event: StoredEvent, tip: StreamTip, where: string): void {
  if (event.streamVersion !== tip.version + 1) {
    throw new InvalidAppendError(
      `${where} is version ${event.streamVersion}; ${event.streamId} is at ${tip.version}`,
    );
  }
  const expected = tip.version === 0 ? GENESIS_HASH : tip.lastHash;
  if (event.metadata.prevHash !== expected)
    throw new InvalidAppendError(`${where} does not chain onto its stream`);
  if (rehashStored(event) !== event.metadata.hash) {
    throw new InvalidAppendError(`${where} does not match its hash`);
  }
}

/** Only the keys the hash covers, as `append` stores them. */
export function contextOf(metadata: EventContext): EventContext {
  const context: EventContext = { principal: metadata.principal, correlationId: metadata.correlationId };
  if (metadata.causationId !== undefined) context.causationId = metadata.causationId;
  if (metadata.idempotencyKey !== undefined) context.idempotencyKey = metadata.idempotencyKey;
  return context;
}
