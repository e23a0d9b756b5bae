import { GENESIS_HASH, hashEvent } from '@app/integrity';
import type { EventContext, StoredEvent } from '../../port/event-store.port';

/** A stored event with a real hash, for mapping tests. */
export function hashed(fields: {
  eventId: string;
  streamId?: string;
  streamVersion?: number;
  position?: bigint;
  data?: unknown;
  context?: EventContext;
}): StoredEvent {
  const base = {
    eventId: fields.eventId,
    streamId: fields.streamId ?? 'claim-1',
    streamVersion: fields.streamVersion ?? 1,
    type: 'StatementReported',
    schemaVersion: 1,
    data: fields.data ?? { n: 1 },
  };
  const context = fields.context ?? { principal: 'desk', correlationId: 'corr' };
  const recordedAt = '2017-10-15T09:00:00.000Z';
  const prevHash = GENESIS_HASH;
  const hash = hashEvent({ ...base, metadata: { ...context, recordedAt }, prevHash });
  return { ...base, position: fields.position ?? 1n, metadata: { ...context, recordedAt, hash, prevHash } };
}
