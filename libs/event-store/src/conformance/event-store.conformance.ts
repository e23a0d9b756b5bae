import { EventStoreClosedError } from '../core/errors';
import { WrongExpectedVersionError, type EventStore, type NewEvent } from '../port/event-store.port';
import type { TestClock } from '../testing/test-clock';
import {
  T0,
  eventFactory,
  expectValidChains,
  positions,
  rejection,
  type NextEvent,
} from './conformance-support';
import { describeAppends } from './appends.conformance';
import { describeConcurrentAppends } from './concurrent-appends.conformance';
import { describeReads } from './reads.conformance';
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

    describeAppends(() => ({ store, next }));

    describeReads(() => ({ store, next }));

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
