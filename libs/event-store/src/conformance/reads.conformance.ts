import type { EventStore } from '../port/event-store.port';
import { expectValidChains, positions, rejection, type NextEvent } from './conformance-support';

/** What reads return: per-stream versions in one global order, cuts by version and position, pages. */
export function describeReads(context: () => { store: EventStore; next: NextEvent }): void {
  let store: EventStore;
  let next: NextEvent;
  beforeEach(() => {
    ({ store, next } = context());
  });

  describe('streams and the global log', () => {
    it('keeps per-stream versions while global positions strictly increase', async () => {
      await store.append('claim-a', [next()], 0);
      await store.append('claim-b', [next(), next()], 0);
      await store.append('claim-a', [next()], 1);
      await store.append('claim-b', [next()], 2);

      const all = await store.readAll();
      expect(all.map((e) => [e.streamId, e.streamVersion])).toEqual([
        ['claim-a', 1],
        ['claim-b', 1],
        ['claim-b', 2],
        ['claim-a', 2],
        ['claim-b', 3],
      ]);
      expect(positions(all)).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(positions(await store.readStream('claim-a'))).toEqual([1n, 4n]);
      expect((await store.readStream('claim-b')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expectValidChains(all);
    });

    it('reads an unknown stream as empty', async () => {
      await store.append('claim-a', [next()], 0);
      expect(await store.readStream('claim-unknown')).toEqual([]);
    });

    it('reads a stream from a version on, alone or with a position cut', async () => {
      await store.append('claim-a', [next(), next(), next()], 0);
      await store.append('claim-b', [next()], 0);
      await store.append('claim-a', [next()], 3);
      expect((await store.readStream('claim-a', { fromVersion: 3 })).map((e) => e.streamVersion)).toEqual([
        3, 4,
      ]);
      expect((await store.readStream('claim-a', { fromVersion: 1 })).length).toBe(4);
      expect(await store.readStream('claim-a', { fromVersion: 5 })).toEqual([]);
      expect(
        (await store.readStream('claim-a', { fromVersion: 2, toPosition: 3n })).map((e) => e.streamVersion),
      ).toEqual([2, 3]);
      await expect(store.readStream('claim-a', { fromVersion: 0 })).rejects.toThrow(RangeError);
    });

    it('cuts readStream at toPosition (historical reads)', async () => {
      await store.append('claim-a', [next()], 0);
      await store.append('claim-b', [next()], 0);
      await store.append('claim-a', [next()], 1);

      expect(positions(await store.readStream('claim-a', { toPosition: 2n }))).toEqual([1n]);
      expect(positions(await store.readStream('claim-a', { toPosition: 3n }))).toEqual([1n, 3n]);
      expect(await store.readStream('claim-a', { toPosition: 0n })).toEqual([]);
      expect(positions(await store.readStream('claim-a', { toPosition: 99n }))).toEqual([1n, 3n]);
    });

    it('reports the head position', async () => {
      expect(await store.headPosition()).toBe(0n);
      await store.append('claim-a', [next(), next()], 0);
      expect(await store.headPosition()).toBe(2n);
      await store.append('claim-b', [next()], 0);
      expect(await store.headPosition()).toBe(3n);
    });

    it('has an identity created with the log: a stable id, and the first event hash once there is one', async () => {
      const empty = await store.identity();
      expect(empty.logId).toMatch(/^[0-9a-f-]{36}$/);
      expect(empty.firstEventHash).toBeNull();
      const [first] = (await store.append('claim-a', [next()], 0)).events;
      await store.append('claim-b', [next()], 0);
      expect(await store.identity()).toEqual({ logId: empty.logId, firstEventHash: first?.metadata.hash });
    });
  });

  describe('readAll paging', () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++) await store.append(`claim-${i % 2}`, [next()], 'any');
    });

    it('pages with after (exclusive) and limit', async () => {
      expect(positions(await store.readAll({ limit: 2 }))).toEqual([1n, 2n]);
      expect(positions(await store.readAll({ after: 2n, limit: 2 }))).toEqual([3n, 4n]);
      expect(positions(await store.readAll({ after: 4n, limit: 2 }))).toEqual([5n]);
      expect(await store.readAll({ after: 5n })).toEqual([]);
      expect(await store.readAll({ after: 50n })).toEqual([]);
    });

    it('stops at to (inclusive)', async () => {
      expect(positions(await store.readAll({ to: 3n }))).toEqual([1n, 2n, 3n]);
      expect(positions(await store.readAll({ after: 1n, to: 3n }))).toEqual([2n, 3n]);
      expect(positions(await store.readAll({ after: 1n, to: 4n, limit: 2 }))).toEqual([2n, 3n]);
      expect(await store.readAll({ after: 3n, to: 3n })).toEqual([]);
      expect(await store.readAll({ to: 0n })).toEqual([]);
    });

    it('rejects a limit that is not a positive integer', async () => {
      for (const limit of [0, -1, 1.5]) {
        expect(await rejection(store.readAll({ limit }))).toBeInstanceOf(RangeError);
      }
    });
  });

  it('defaults to 1000 events per page and caps a page at 10 000', async () => {
    const batch = Array.from({ length: 10_001 }, () => next({ data: {} }));
    await store.append('claim-big', batch, 0);

    expect(await store.readAll()).toHaveLength(1000);
    const capped = await store.readAll({ limit: 50_000 });
    expect(capped).toHaveLength(10_000);
    expect(capped.at(-1)?.position).toBe(10_000n);
    expect(positions(await store.readAll({ after: 10_000n, limit: 50_000 }))).toEqual([10_001n]);
  });
}
