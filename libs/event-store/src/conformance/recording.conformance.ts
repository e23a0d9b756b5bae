import { GENESIS_HASH } from '@app/integrity';
import type { EventContext, EventStore } from '../port/event-store.port';
import type { TestClock } from '../testing/test-clock';
import { ISO_MILLIS_Z, T0, recomputeHash, rejection, type NextEvent } from './conformance-support';

/** What a store records beside the caller's events (time, hashes, exact data) and whom it tells. */
export function describeRecording(
  context: () => { store: EventStore; clock: TestClock; next: NextEvent },
): void {
  let store: EventStore;
  let clock: TestClock;
  let next: NextEvent;
  beforeEach(() => {
    ({ store, clock, next } = context());
  });

  describe('recorded time', () => {
    it('takes recordedAt from the clock at commit, as ISO 8601 with milliseconds and Z', async () => {
      clock.set('2017-10-15T06:30:00.123Z');
      const result = await store.append('claim-1', [next()], 0);
      expect(result.events[0]?.metadata.recordedAt).toBe('2017-10-15T06:30:00.123Z');
      expect(result.events[0]?.metadata.recordedAt).toMatch(ISO_MILLIS_Z);
    });

    it('never goes backwards when the clock does', async () => {
      clock.set('2017-10-15T10:00:00.000Z');
      await store.append('claim-1', [next()], 0);
      clock.set('2017-10-15T09:59:00.000Z');
      const stepped = await store.append('claim-2', [next()], 0);
      clock.set('2017-10-15T10:05:00.000Z');
      const later = await store.append('claim-1', [next()], 1);

      expect(stepped.events[0]?.metadata.recordedAt).toBe('2017-10-15T10:00:00.000Z');
      expect(later.events[0]?.metadata.recordedAt).toBe('2017-10-15T10:05:00.000Z');
      const times = (await store.readAll()).map((e) => e.metadata.recordedAt);
      expect([...times].sort()).toEqual(times);
    });

    it('finds the last position recorded at or before an instant', async () => {
      clock.set('2017-10-15T09:00:00.000Z');
      await store.append('claim-1', [next()], 0);
      clock.set('2017-10-15T10:00:00.000Z');
      await store.append('claim-1', [next(), next()], 1);
      clock.set('2017-10-15T11:00:00.000Z');
      await store.append('claim-2', [next()], 0);

      expect(await store.positionAt('2017-10-15T08:59:59.999Z')).toBe(0n);
      expect(await store.positionAt('2017-10-15T09:00:00.000Z')).toBe(1n);
      expect(await store.positionAt('2017-10-15T09:59:59.999Z')).toBe(1n);
      expect(await store.positionAt('2017-10-15T10:00:00.000Z')).toBe(3n);
      expect(await store.positionAt('2017-10-15T10:30:00Z')).toBe(3n);
      // The same instant written with an offset (Damascus, UTC+3).
      expect(await store.positionAt('2017-10-15T14:00:00+03:00')).toBe(4n);
      expect(await store.positionAt('2030-01-01T00:00:00.000Z')).toBe(4n);
    });

    it('answers 0 for positionAt on an empty store, and rejects an instant without a zone', async () => {
      expect(await store.positionAt('2030-01-01T00:00:00.000Z')).toBe(0n);
      expect(await rejection(store.positionAt('2017-10-15T09:00:00'))).toBeInstanceOf(RangeError);
      expect(await rejection(store.positionAt('yesterday'))).toBeInstanceOf(RangeError);
    });
  });

  describe('onAppended', () => {
    it('is called after commit with the new head', async () => {
      const heads: bigint[] = [];
      const seenByListener: Promise<bigint>[] = [];
      store.onAppended((head) => {
        heads.push(head);
        // Asked from inside the listener: the append must already be visible.
        seenByListener.push(store.headPosition());
      });

      await store.append('claim-1', [next(), next()], 0);
      // The listener's read finishes before the next append, or it could see that one too.
      await Promise.all(seenByListener);
      await store.append('claim-2', [next()], 0);

      expect(heads).toEqual([2n, 3n]);
      expect(await Promise.all(seenByListener)).toEqual([2n, 3n]);
    });

    it('is not called for a failed append, and stops after unsubscribe', async () => {
      const heads: bigint[] = [];
      const unsubscribe = store.onAppended((head) => heads.push(head));

      await rejection(store.append('claim-1', [next()], 5));
      await store.append('claim-1', [next()], 0);
      unsubscribe();
      await store.append('claim-1', [next()], 1);

      expect(heads).toEqual([1n]);
    });

    it('does not fail the append when a listener throws, and still calls the others', async () => {
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const heads: bigint[] = [];
        store.onAppended(() => {
          throw new Error('listener bug');
        });
        store.onAppended((head) => heads.push(head));

        const result = await store.append('claim-1', [next()], 0);

        expect(result.position).toBe(1n);
        expect(heads).toEqual([1n]);
        expect(await store.headPosition()).toBe(1n);
      } finally {
        warn.mockRestore();
      }
    });
  });

  describe('data and metadata round trip', () => {
    it('returns Arabic text, nested objects and numbers exactly', async () => {
      const data = {
        quote: {
          text: 'قال المتحدث باسم قوات سوريا الديمقراطية طلال سلو إنَّ ٢٧٥ مقاتلاً سورياً غادروا الرقة',
          language: 'ar',
          translation: 'SDF spokesman Talal Silo said 275 Syrian fighters left Raqqa',
        },
        value: { kind: 'quantity', min: 200, max: 300, unit: 'fighters', approximate: false },
        numbers: [0, -1, 1.5, 0.1, 1e21, 2 ** 53 - 1, -273.15],
        nested: { a: { b: { c: [null, true, false, '', { مفتاح: 'قيمة' }] } } },
        empty: { object: {}, array: [] },
        emoji: '🇸🇾 ـــ tatweel',
      };
      const metadata: EventContext = {
        principal: 'editor@newsroom',
        correlationId: 'corr-42',
        causationId: 'cmd-7',
        idempotencyKey: 'idem-7',
      };

      const result = await store.append('claim-1', [next({ data, metadata })], 0);
      const [read] = await store.readStream('claim-1');

      expect(read?.data).toEqual(data);
      expect(result.events[0]?.data).toEqual(data);
      expect(read?.metadata).toEqual({
        ...metadata,
        recordedAt: T0,
        hash: result.events[0]?.metadata.hash,
        prevHash: GENESIS_HASH,
      });
      expect(read?.metadata.hash).toBe(recomputeHash(read!));
    });

    it('never stores undefined-valued or unknown metadata keys, nor undefined data keys', async () => {
      const metadata = {
        principal: 'editor',
        correlationId: 'corr-1',
        causationId: undefined,
        idempotencyKey: undefined,
        secret: 'must not be stored',
      } as EventContext;
      await store.append('claim-1', [next({ metadata, data: { unit: undefined, kept: 1 } })], 0);

      for (const event of [...(await store.readStream('claim-1')), ...(await store.readAll())]) {
        expect(Object.keys(event.metadata).sort()).toEqual(
          ['correlationId', 'hash', 'prevHash', 'principal', 'recordedAt'].sort(),
        );
        expect(event.data).toEqual({ kept: 1 });
        expect(Object.keys(event.data as object)).toEqual(['kept']);
      }
    });

    it('hands out copies: mutating what was returned or appended does not change the log', async () => {
      const data = { list: [1, 2] };
      const result = await store.append('claim-1', [next({ data })], 0);
      data.list.push(3);
      (result.events[0]?.data as { list: number[] }).list.push(4);
      const [first] = await store.readAll();
      (first?.data as { list: number[] }).list.push(5);

      expect((await store.readStream('claim-1'))[0]?.data).toEqual({ list: [1, 2] });
    });
  });
}
