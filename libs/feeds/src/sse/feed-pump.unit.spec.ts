import { randomUUID } from 'node:crypto';
import { claimStreamId } from '@app/claims';
import { InMemoryEventStore, type NewEvent } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { FeedSelector } from './feed-filter';
import { pumpFeed } from './feed-pump';
import type { BoundedSseWriter } from './sse-writer';

const noted = (): NewEvent => ({
  eventId: randomUUID(),
  type: 'Noted',
  schemaVersion: 1,
  data: {},
  metadata: { principal: 'test', correlationId: randomUUID() },
});

/** A writer whose client is full after every `room` messages until `release()`, keeping what it got. */
function writer(room: number) {
  const abort = new AbortController();
  const frames: string[] = [];
  let sinceRelease = 0;
  let release: () => void = () => undefined;
  const fake = {
    signal: abort.signal,
    send: (frame: string) => {
      frames.push(frame);
      sinceRelease += 1;
      return sinceRelease < room;
    },
    room: () => new Promise<void>((resolve) => (release = resolve)),
  };
  const releaseNow = () => {
    sinceRelease = 0;
    release();
  };
  return { fake: fake as unknown as BoundedSseWriter, frames, abort, release: releaseNow };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('pumpFeed', () => {
  it('reads the next page of the log only once the client has room (pull, not push)', async () => {
    const store = new InMemoryEventStore(new TestClock());
    for (let i = 0; i < 10; i++) await store.append(`note-${i}`, Array.from({ length: 10 }, noted), 0);
    const readAll = jest.spyOn(store, 'readAll');
    const client = writer(5);
    const selector = new FeedSelector({}, { storyOf: () => Promise.resolve(undefined) });
    const pumping = pumpFeed({
      store,
      after: 0n,
      selector,
      writer: client.fake,
      batchSize: 10,
      toMessage: (e) => ({ id: String(e.position), data: '' }),
    });
    for (let i = 0; i < 5; i++) await turn();
    // Full after five messages of the first page: no other page has been read.
    expect(client.frames).toHaveLength(5);
    expect(readAll).toHaveBeenCalledTimes(1);

    client.release();
    for (let i = 0; i < 5; i++) await turn();
    expect(client.frames).toHaveLength(10);
    expect(readAll).toHaveBeenCalledTimes(1);

    client.release();
    for (let i = 0; i < 5; i++) await turn();
    expect(readAll).toHaveBeenCalledTimes(2);
    expect(client.frames.map((f) => f.split('\n')[0])).toEqual(
      Array.from({ length: client.frames.length }, (_, i) => `id: ${i + 1}`),
    );

    client.abort.abort();
    client.release();
    await pumping;
  });

  describe('a claim feed', () => {
    const claim = claimStreamId('c-1');
    const ids = (frames: string[]) => frames.map((f) => f.split('\n')[0]);

    /** 60 events: every third of claim c-1, the others of two other claims. */
    async function log(): Promise<InMemoryEventStore> {
      const store = new InMemoryEventStore(new TestClock());
      for (let i = 0; i < 60; i++) {
        const streamId = [claim, claimStreamId('c-2'), claimStreamId('c-3')][i % 3]!;
        await store.append(streamId, [noted()], 'any');
      }
      return store;
    }

    function pump(store: InMemoryEventStore, after: bigint, client: ReturnType<typeof writer>) {
      return pumpFeed({
        store,
        after,
        selector: new FeedSelector({ claimId: 'c-1' }, { storyOf: () => Promise.resolve(undefined) }),
        writer: client.fake,
        batchSize: 10,
        streamWindow: 7,
        toMessage: (e) => ({ id: String(e.position), data: '' }),
      });
    }

    it("far behind the head, catches up through its claim's stream, not the log's pages, then goes on live", async () => {
      const store = await log();
      const readAll = jest.spyOn(store, 'readAll');
      const readStream = jest.spyOn(store, 'readStream');
      const client = writer(1_000);
      const pumping = pump(store, 20n, client);
      for (let i = 0; i < 10; i++) await turn();

      // Positions 22, 25, ... 58 are c-1's after 20, each once, in order; the log was paged from the head only.
      const caughtUp = Array.from({ length: 13 }, (_, i) => `id: ${22 + 3 * i}`);
      expect(ids(client.frames)).toEqual(caughtUp);
      expect(readStream.mock.calls.every(([streamId]) => streamId === claim)).toBe(true);
      expect(readAll.mock.calls.map(([options]) => options?.after)).toEqual([60n]);

      await store.append(claimStreamId('c-2'), [noted()], 'any');
      await store.append(claim, [noted()], 'any');
      for (let i = 0; i < 10; i++) await turn();
      expect(ids(client.frames)).toEqual([...caughtUp, 'id: 62']);

      client.abort.abort();
      await pumping;
    });

    it("near the head, reads the log's pages from where the client is", async () => {
      const store = await log();
      const readAll = jest.spyOn(store, 'readAll');
      const readStream = jest.spyOn(store, 'readStream');
      const client = writer(1_000);
      const pumping = pump(store, 55n, client);
      for (let i = 0; i < 10; i++) await turn();

      expect(ids(client.frames)).toEqual(['id: 58']);
      expect(readStream).not.toHaveBeenCalled();
      expect(readAll.mock.calls[0]?.[0]?.after).toBe(55n);

      client.abort.abort();
      await pumping;
    });
  });
});
