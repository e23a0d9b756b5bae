import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '../port/event-store.port';
import { expectValidChains, positions, type NextEvent } from './conformance-support';

/**
 * Group commit seen from outside: many appends issued together (as concurrent requests issue
 * them) each succeed or fail on their own, with the error of their own conflict, and the log stays
 * a dense, chained sequence. No case depends on timing: every append is issued in one synchronous
 * loop and the assertions hold however the store groups them.
 */
export function describeConcurrentAppends(
  context: () => { store: EventStore; next: NextEvent },
  options: { commitsInCallOrder: boolean },
): void {
  describe('concurrent appends (group commit)', () => {
    interface Call {
      kind: 'any' | 'stale' | 'stored-duplicate' | 'pair' | 'race' | 'new' | 'missing';
      streamId: string;
      events: NewEvent[];
      expected: ExpectedVersion;
    }

    it('lets each of 200 appends issued together succeed or fail alone, leaving a dense, chained log', async () => {
      const { store, next } = context();
      const hot = ['hot-0', 'hot-1', 'hot-2', 'hot-3'];
      const original = next();
      await store.append('hot-0', [original], 0);
      for (const streamId of hot.slice(1)) await store.append(streamId, [next()], 0);
      await store.append('race', [next()], 0);
      const before = await store.headPosition();

      const calls: Call[] = Array.from({ length: 200 }, (_, i): Call => {
        const streamId = hot[i % 4]!;
        switch (i % 10) {
          case 0:
          case 1:
          case 2:
            return { kind: 'any', streamId, events: [next(), next()].slice(0, 1 + (i % 2)), expected: 'any' };
          case 3:
            return { kind: 'stale', streamId, events: [next()], expected: 0 };
          case 4:
            return {
              kind: 'stored-duplicate',
              streamId: `dup-${i}`,
              events: [next(), { ...original }],
              expected: 0,
            };
          case 5:
          case 6:
            // Two appends sharing one event id: whichever is checked first wins, the other is a duplicate.
            return {
              kind: 'pair',
              streamId: `pair-${i}`,
              events: [next({ eventId: `pair-${i - (i % 10) + 5}` })],
              expected: 'any',
            };
          case 7:
            return { kind: 'race', streamId: 'race', events: [next()], expected: 1 };
          case 8:
            return { kind: 'new', streamId: `new-${i}`, events: [next(), next()], expected: 0 };
          default:
            return { kind: 'missing', streamId: `missing-${i}`, events: [next()], expected: 3 };
        }
      });
      const heads: bigint[] = [];
      store.onAppended((head) => heads.push(head));

      const outcomes = await Promise.allSettled(
        calls.map((c) => store.append(c.streamId, c.events, c.expected)),
      );

      const won = (kind: Call['kind']) =>
        outcomes.filter((o, i) => calls[i]!.kind === kind && o.status === 'fulfilled').length;
      const reasons = (kind: Call['kind']) =>
        outcomes.flatMap((o, i) => (calls[i]!.kind === kind && o.status === 'rejected' ? [o.reason] : []));
      expect(won('any')).toBe(60);
      expect(won('new')).toBe(20);
      expect(won('stale') + won('stored-duplicate') + won('missing')).toBe(0);
      expect(won('race')).toBe(1);
      expect(won('pair')).toBe(20);
      for (const reason of reasons('stale')) {
        expect(reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(reason).toMatchObject({ expected: 0 });
      }
      for (const reason of reasons('race'))
        expect(reason).toMatchObject({ name: 'WrongExpectedVersionError', expected: 1 });
      for (const reason of reasons('missing'))
        expect(reason).toMatchObject({ name: 'WrongExpectedVersionError', actual: 0 });
      for (const reason of reasons('stored-duplicate')) {
        expect(reason).toBeInstanceOf(DuplicateEventError);
        expect(reason).toMatchObject({ eventId: original.eventId });
      }
      for (const reason of reasons('pair')) expect(reason).toBeInstanceOf(DuplicateEventError);

      // Nothing of a failed append was written, everything of a successful one was, in a dense log.
      const results = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const appended = results.flatMap((r) => r.events);
      const all = await store.readAll({ limit: 10_000 });
      expect(positions(all)).toEqual(Array.from({ length: all.length }, (_, i) => BigInt(i + 1)));
      expect(BigInt(all.length)).toBe(before + BigInt(appended.length));
      const byPosition = new Map(all.map((e) => [e.position, e]));
      for (const event of appended) expect(byPosition.get(event.position)).toEqual(event);
      expectValidChains(all);
      const times = all.map((e) => e.metadata.recordedAt);
      expect([...times].sort()).toEqual(times);
      for (const streamId of hot) {
        const stream = await store.readStream(streamId);
        expect(stream.map((e) => e.streamVersion)).toEqual(stream.map((_, i) => i + 1));
      }

      // onAppended heard batch heads: increasing, each the end of a successful append, the last the head.
      const ends = new Set(results.map((r) => r.position));
      expect([...heads].sort((a, b) => (a < b ? -1 : 1))).toEqual(heads);
      expect(new Set(heads).size).toBe(heads.length);
      for (const head of heads) expect(ends.has(head)).toBe(true);
      expect(heads.at(-1)).toBe(await store.headPosition());
    });

    it('announces an append to onAppended before its caller resumes', async () => {
      const { store, next } = context();
      let heard = 0n;
      store.onAppended((head) => {
        heard = head > heard ? head : heard;
      });
      const seenWhenResolved = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.append(`claim-${i % 3}`, [next()], 'any').then((result) => [result.position, heard] as const),
        ),
      );
      for (const [position, announced] of seenWhenResolved) expect(announced >= position).toBe(true);
    });

    it('does not fail the appends beside a stale or duplicate one', async () => {
      const { store, next } = context();
      const stored = next();
      await store.append('claim-0', [stored], 0);

      const outcomes = await Promise.allSettled([
        store.append('claim-a', [next()], 0),
        store.append('claim-0', [next()], 0),
        store.append('claim-b', [next(), next()], 0),
        store.append('claim-c', [next(), { ...stored }], 0),
        store.append('claim-d', [next()], 'any'),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(outcomes[1]).toMatchObject({ reason: { name: 'WrongExpectedVersionError', actual: 1 } });
      expect(outcomes[3]).toMatchObject({ reason: { name: 'DuplicateEventError', eventId: stored.eventId } });
      const all = await store.readAll();
      expect(positions(all)).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(all.map((e) => e.streamId).sort()).toEqual([
        'claim-0',
        'claim-a',
        'claim-b',
        'claim-b',
        'claim-d',
      ]);
      expectValidChains(all);
    });

    (options.commitsInCallOrder ? it : it.skip)(
      'checks two appends to one stream issued together in call order: the second sees the first',
      async () => {
        const { store, next } = context();

        const outcomes = await Promise.allSettled([
          store.append('claim-1', [next()], 0),
          store.append('claim-1', [next(), next()], 1),
          store.append('claim-1', [next()], 1),
          store.append('claim-1', [next()], 3),
          store.append('claim-1', [next()], 'any'),
        ]);

        expect(outcomes.map((o) => o.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
        expect(outcomes[2]).toMatchObject({
          reason: { name: 'WrongExpectedVersionError', expected: 1, actual: 3 },
        });
        const versions = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.streamVersion : 0));
        expect(versions).toEqual([1, 3, 0, 4, 5]);
        const stream = await store.readStream('claim-1');
        expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
        expect(positions(stream)).toEqual([1n, 2n, 3n, 4n, 5n]);
        expectValidChains(stream);
      },
    );
  });
}
