import { GENESIS_HASH } from '@app/integrity';
import { InvalidAppendError, EventStoreClosedError } from '../core/errors';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type EventContext,
  type EventStore,
  type NewEvent,
} from '../port/event-store.port';
import type { TestClock } from '../testing/test-clock';
import {
  T0,
  eventFactory,
  expectValidChains,
  positions,
  recomputeHash,
  rejection,
  type NextEvent,
} from './conformance-support';
import { describeConcurrentAppends } from './concurrent-appends.conformance';
import { describeRecording } from './recording.conformance';

/** What each adapter's spec provides: a fresh, empty store and the clock it was built with. */
export interface EventStoreFixture {
  store: EventStore;
  clock: TestClock;
  cleanup(): Promise<void>;
}

export interface ConformanceOptions {
  /**
   * Appends issued by one caller without waiting (same tick) are checked and committed in call
   * order, so a second append expecting the first one's version succeeds. True for the memory,
   * SQLite and PostgreSQL stores (their group commit keeps a FIFO queue); an adapter whose client
   * may reorder concurrent requests sets it to false, and those cases are skipped.
   */
  commitsInCallOrder?: boolean;
}

/**
 * The one behavioural contract of `EventStore`. Every adapter's spec calls this with a factory of
 * fresh stores; an adapter is done when the whole suite passes unchanged.
 */
export function describeEventStoreConformance(
  name: string,
  create: () => Promise<EventStoreFixture>,
  options: ConformanceOptions = {},
): void {
  describe(`EventStore conformance: ${name}`, () => {
    let fixtures: EventStoreFixture[] = [];
    let store: EventStore;
    let clock: TestClock;
    let next: NextEvent;

    async function fresh(): Promise<EventStoreFixture> {
      const fixture = await create();
      fixture.clock.set(T0);
      fixtures.push(fixture);
      return fixture;
    }

    beforeEach(async () => {
      ({ store, clock } = await fresh());
      next = eventFactory();
    });

    afterEach(async () => {
      for (const fixture of fixtures) await fixture.cleanup();
      fixtures = [];
    });

    async function expectNothingWritten(head: bigint): Promise<void> {
      expect(await store.headPosition()).toBe(head);
      expect(await store.readAll()).toHaveLength(Number(head));
    }

    describe('append to a new stream', () => {
      it('starts at version 1, position 1, chained to the genesis hash', async () => {
        const result = await store.append('claim-1', [next()], 0);

        expect(result.streamVersion).toBe(1);
        expect(result.position).toBe(1n);
        const [event] = result.events;
        expect(event).toMatchObject({
          eventId: 'evt-1',
          streamId: 'claim-1',
          streamVersion: 1,
          position: 1n,
        });
        expect(event?.metadata.prevHash).toBe(GENESIS_HASH);
        expect(event?.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(event?.metadata.hash).toBe(recomputeHash(event!));
        expect(await store.readStream('claim-1')).toEqual(result.events);
      });

      it('chains each event to the previous hash of its stream, across appends', async () => {
        const first = await store.append('claim-1', [next(), next()], 0);
        const second = await store.append('claim-1', [next()], 2);

        expect(second.events[0]?.metadata.prevHash).toBe(first.events[1]?.metadata.hash);
        expect(first.events[1]?.metadata.prevHash).toBe(first.events[0]?.metadata.hash);
        expectValidChains(await store.readAll());
      });

      it('returns the same events that reads return later', async () => {
        const result = await store.append('claim-1', [next(), next()], 'any');
        expect(await store.readAll()).toEqual(result.events);
      });
    });

    describe('expected version', () => {
      beforeEach(async () => {
        await store.append('claim-1', [next(), next()], 0);
      });

      it('rejects a stale version with the actual version, writing nothing', async () => {
        const error = await rejection(store.append('claim-1', [next()], 1));

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({
          streamId: 'claim-1',
          expected: 1,
          actual: 2,
          code: 'WRONG_EXPECTED_VERSION',
        });
        await expectNothingWritten(2n);
      });

      it('rejects 0 on an existing stream', async () => {
        const error = await rejection(store.append('claim-1', [next()], 0));
        expect(error).toMatchObject({ name: 'WrongExpectedVersionError', expected: 0, actual: 2 });
      });

      it('rejects a positive version on a stream that does not exist', async () => {
        const error = await rejection(store.append('claim-2', [next()], 1));
        expect(error).toMatchObject({ name: 'WrongExpectedVersionError', expected: 1, actual: 0 });
      });

      it('accepts the exact current version', async () => {
        const result = await store.append('claim-1', [next()], 2);
        expect(result.streamVersion).toBe(3);
      });

      it("skips the check for 'any', on existing and new streams", async () => {
        expect((await store.append('claim-1', [next()], 'any')).streamVersion).toBe(3);
        expect((await store.append('claim-2', [next()], 'any')).streamVersion).toBe(1);
      });

      it('rejects an expected version that is not a non-negative integer', async () => {
        for (const expected of [-1, 1.5, Number.NaN]) {
          expect(await rejection(store.append('claim-1', [next()], expected))).toBeInstanceOf(
            InvalidAppendError,
          );
        }
        await expectNothingWritten(2n);
      });
    });

    describe('atomic batches', () => {
      it('appends several events with consecutive versions and positions, one recordedAt', async () => {
        await store.append('source-1', [next()], 0);
        const result = await store.append('claim-1', [next(), next(), next()], 0);

        expect(result.streamVersion).toBe(3);
        expect(result.position).toBe(4n);
        expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(positions(result.events)).toEqual([2n, 3n, 4n]);
        expect(new Set(result.events.map((e) => e.metadata.recordedAt)).size).toBe(1);
      });

      it('rejects an empty batch with a clear error', async () => {
        const error = await rejection(store.append('claim-1', [], 'any'));
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect((error as Error).message).toMatch(/empty/);
        await expectNothingWritten(0n);
      });

      it('writes nothing when one item of the batch is invalid', async () => {
        const invalidItems: NewEvent[] = [
          next({ schemaVersion: 0 }),
          next({ eventId: '' }),
          next({ type: '' }),
          next({ data: { count: Number.NaN } }),
          next({ data: { at: new Date(T0) } }),
          next({ data: [1, undefined] }),
          next({ data: { f: () => 1 } }),
          next({ data: undefined }),
          next({ metadata: { principal: '', correlationId: 'c' } }),
          next({ metadata: { principal: 'p' } as EventContext }),
        ];
        for (const invalid of invalidItems) {
          const error = await rejection(store.append('claim-1', [next(), invalid, next()], 'any'));
          expect(error).toBeInstanceOf(InvalidAppendError);
        }
        await expectNothingWritten(0n);
        expect(await store.readStream('claim-1')).toEqual([]);
      });

      it('rejects an empty stream id', async () => {
        expect(await rejection(store.append('', [next()], 'any'))).toBeInstanceOf(InvalidAppendError);
      });
    });

    describe('duplicate event ids', () => {
      it('rejects an id already stored in any stream, writing nothing of the batch', async () => {
        const original = next();
        await store.append('claim-1', [original], 0);

        const error = await rejection(store.append('claim-2', [next(), { ...original }], 0));

        expect(error).toBeInstanceOf(DuplicateEventError);
        expect(error).toMatchObject({ eventId: original.eventId, code: 'DUPLICATE_EVENT' });
        await expectNothingWritten(1n);
        expect(await store.readStream('claim-2')).toEqual([]);
      });

      it('rejects the same id twice within one batch', async () => {
        const event = next();
        const error = await rejection(store.append('claim-1', [event, { ...event }], 0));
        expect(error).toBeInstanceOf(DuplicateEventError);
        await expectNothingWritten(0n);
      });

      it('rejects a retried append of the same events (same expected version)', async () => {
        const batch = [next(), next()];
        await store.append('claim-1', batch, 0);
        expect(await rejection(store.append('claim-1', batch, 0))).toBeInstanceOf(Error);
        await expectNothingWritten(2n);
      });
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

    describeRecording(() => ({ store, clock, next }));

    it('produces identical hashes for the same events in two fresh stores', async () => {
      const other = await fresh();
      const batches: [string, NewEvent[]][] = [
        ['claim-1', [next(), next({ data: { text: 'عشرات الحافلات' } })]],
        ['source-1', [next()]],
        ['claim-1', [next()]],
      ];
      for (const [streamId, events] of batches) {
        await store.append(streamId, events, 'any');
        await other.store.append(streamId, events, 'any');
      }

      const hashes = async (s: EventStore) => (await s.readAll()).map((e) => e.metadata.hash);
      expect(await hashes(other.store)).toEqual(await hashes(store));
      expect(new Set(await hashes(store)).size).toBe(4);
    });

    describe('concurrency', () => {
      it('lets exactly one of two racing appends with the same expected version win', async () => {
        await store.append('claim-1', [next()], 0);

        const outcomes = await Promise.allSettled([
          store.append('claim-1', [next()], 1),
          store.append('claim-1', [next()], 1),
        ]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((await store.readStream('claim-1')).map((e) => e.streamVersion)).toEqual([1, 2]);
        expectValidChains(await store.readAll());
      });

      it('serialises many concurrent appends to different streams into distinct positions', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.append(`claim-${i % 3}`, [next(), next()], 'any')),
        );

        const all = positions(results.flatMap((r) => r.events)).sort((a, b) => (a < b ? -1 : 1));
        expect(all).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i + 1)));
        expectValidChains(await store.readAll());
      });
    });

    describeConcurrentAppends(() => ({ store, next }), {
      commitsInCallOrder: options.commitsInCallOrder ?? true,
    });

    it('rejects use after close', async () => {
      await store.append('claim-1', [next()], 0);
      await store.close();
      expect(await rejection(store.append('claim-1', [next()], 'any'))).toBeInstanceOf(EventStoreClosedError);
      expect(await rejection(store.readAll())).toBeInstanceOf(EventStoreClosedError);
      await store.close();
    });
  });
}
