import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The first event of a stream chains to this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What an event's hash covers: everything that makes it this event, but not its global position,
 * which differs between stores (the Merkle tree fixes order instead). `hash` itself is excluded.
 */
export interface HashableEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: {
    recordedAt: string;
    principal: string;
    correlationId: string;
    causationId?: string;
    idempotencyKey?: string;
  };
  prevHash: string;
}

/** RFC 8785 canonical JSON of the hashable form. */
export function canonicalEventBytes(event: HashableEvent): string {
  const { metadata } = event;
  const text = canonicalize({
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      recordedAt: metadata.recordedAt,
      principal: metadata.principal,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      idempotencyKey: metadata.idempotencyKey,
    },
    prevHash: event.prevHash,
  });
  if (text === undefined) throw new Error('event is not canonicalizable JSON');
  return text;
}

/** SHA-256, hex, of the canonical form: identical on every store. */
export function hashEvent(event: HashableEvent): string {
  return createHash('sha256').update(canonicalEventBytes(event), 'utf8').digest('hex');
}

/** A stored event as every store returns it: the chain link lives in its metadata. */
export type StoredHashable = Omit<HashableEvent, 'prevHash'> & { metadata: { prevHash: string } };

/** The hash an event must have, recomputed from what a store gave back (verifiers, imports, tests). */
export function rehashStored(event: StoredHashable): string {
  return hashEvent({ ...event, prevHash: event.metadata.prevHash });
}
