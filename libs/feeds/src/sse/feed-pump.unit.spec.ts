import { randomUUID } from 'node:crypto';
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
});
