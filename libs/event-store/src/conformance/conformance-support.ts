import { GENESIS_HASH, rehashStored } from '@app/integrity';
import type { EventContext, NewEvent, StoredEvent } from '../port/event-store.port';

/** Helpers shared by the conformance suites. */

export const T0 = '2017-10-15T09:00:00.000Z';
export const ISO_MILLIS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const CONTEXT: EventContext = { principal: 'desk-editor', correlationId: 'corr-1' };

/** Event ids are unique per call; tests that need identical events reuse one array. */
export function eventFactory() {
  let counter = 0;
  return (overrides: Partial<NewEvent> = {}): NewEvent => {
    counter += 1;
    return {
      eventId: `evt-${counter}`,
      type: 'StatementReported',
      schemaVersion: 1,
      data: { n: counter },
      metadata: CONTEXT,
      ...overrides,
    };
  };
}

/** The hash recomputed from what the store gave back: proves it is verifiable without the store. */
export function recomputeHash(event: StoredEvent): string {
  return rehashStored(event);
}

/** Every event hashes correctly and chains to its predecessor in the same stream. */
export function expectValidChains(events: readonly StoredEvent[]): void {
  const lastHash = new Map<string, string>();
  const lastVersion = new Map<string, number>();
  for (const event of events) {
    expect(event.metadata.prevHash).toBe(lastHash.get(event.streamId) ?? GENESIS_HASH);
    expect(event.streamVersion).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
    expect(event.metadata.hash).toBe(recomputeHash(event));
    lastHash.set(event.streamId, event.metadata.hash);
    lastVersion.set(event.streamId, event.streamVersion);
  }
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

export const positions = (events: readonly StoredEvent[]): bigint[] => events.map((e) => e.position);

/** Event factories make plain objects; this is their type. */
export type NextEvent = (overrides?: Partial<NewEvent>) => NewEvent;
