import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../memory/in-memory-event-store';
import type { NewEvent, StoredEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { followLog } from './log-follower';

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Noted',
  schemaVersion: 1,
  data: { n },
  metadata: { principal: 'test', correlationId: randomUUID() },
});

async function appendMany(store: InMemoryEventStore, streamId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await store.append(streamId, [event(i)], 'any');
}

/** Drains batches until `count` events were seen, then stops the follower. */
async function take(batches: AsyncGenerator<StoredEvent[]>, count: number, abort: AbortController) {
  const seen: StoredEvent[] = [];
  for await (const batch of batches) {
    seen.push(...batch);
    if (seen.length >= count) abort.abort();
  }
  return seen;
}

describe('followLog', () => {
  it('yields what is there, then what is appended while it waits, each once and in order', async () => {
    const store = new InMemoryEventStore(new TestClock());
    await appendMany(store, 'a', 3);
    const abort = new AbortController();
    const following = take(
      followLog(store, { after: 0n, batchSize: 2, pollMs: 60_000, signal: abort.signal }),
      7,
      abort,
    );
    await new Promise((resolve) => setImmediate(resolve));
    await appendMany(store, 'b', 4);

    const seen = await following;
    expect(seen.map((e) => e.position)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  });

  it('resumes after a position without a gap or a duplicate', async () => {
    const store = new InMemoryEventStore(new TestClock());
    await appendMany(store, 'a', 5);
    const abort = new AbortController();
    const seen = await take(followLog(store, { after: 3n, signal: abort.signal }), 2, abort);
    expect(seen.map((e) => e.position)).toEqual([4n, 5n]);
  });

  it('ends at once when aborted while waiting, and stops listening', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const abort = new AbortController();
    const iterator = followLog(store, { after: 0n, pollMs: 60_000, signal: abort.signal });
    const next = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    await appendMany(store, 'a', 1);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
