import type { IdempotencyStore, NewReservation } from '../idempotency.port';

/**
 * One suite for every IdempotencyStore (SQLite, PostgreSQL), as the event store has its
 * conformance suite. `processes()` gives two stores on the same storage as two processes would
 * open it, created in order (the first may be stopped before the second opens, as in a restart).
 */
export interface IdempotencyStoreHarness {
  /** A store on fresh storage. */
  open(): Promise<IdempotencyStore>;
  /** Another process on the same storage as the last `open()`. */
  reopen(): Promise<IdempotencyStore>;
  /** Releases whatever the test made. */
  cleanup(): Promise<void>;
}

const entry = (over: Partial<NewReservation> = {}): NewReservation => ({
  keyDigest: 'a'.repeat(64),
  key: 'key-1',
  principal: 'reporter',
  fingerprint: 'f'.repeat(64),
  reservedAt: '2026-11-30T12:00:00.000Z',
  ...over,
});

export function describeIdempotencyStore(name: string, harness: () => IdempotencyStoreHarness): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let h: IdempotencyStoreHarness;
    const opened: IdempotencyStore[] = [];
    const open = async (again = false) => {
      const store = again ? await h.reopen() : await h.open();
      opened.push(store);
      return store;
    };
    beforeEach(() => {
      h = harness();
    });
    afterEach(async () => {
      for (const store of opened.splice(0).reverse()) await store.close();
      await h.cleanup();
    });

    it('reserves a new key, and shows the pending row (not abandoned) to a second attempt', async () => {
      const store = await open();
      const first = await store.reserve(entry());
      expect(first.kind).toBe('reserved');
      const second = await store.reserve(entry({ fingerprint: 'e'.repeat(64) }));
      expect(second).toMatchObject({
        kind: 'exists',
        record: { state: 'pending', fingerprint: 'f'.repeat(64), principal: 'reporter', abandoned: false },
      });
      expect(second.kind === 'exists' && second.record.response).toBeUndefined();
    });

    it('scopes keys to the API-key digest', async () => {
      const store = await open();
      expect((await store.reserve(entry())).kind).toBe('reserved');
      expect((await store.reserve(entry({ keyDigest: 'b'.repeat(64) }))).kind).toBe('reserved');
    });

    it('completes with the answer, which is replayed as stored (never the lagging flag)', async () => {
      const store = await open();
      const reserved = await store.reserve(entry());
      if (reserved.kind !== 'reserved') throw new Error('not reserved');
      const response = { status: 201, body: { id: 'x', streamVersion: 1, position: '7' }, etag: '"1"' };
      expect(await store.complete(entry().keyDigest, 'key-1', 'not-the-token', response)).toBe(false);
      expect(
        await store.complete(entry().keyDigest, 'key-1', reserved.token, { ...response, lagging: true }),
      ).toBe(true);
      const again = await store.reserve(entry());
      expect(again).toMatchObject({ kind: 'exists', record: { state: 'complete', response } });
      expect(again.kind === 'exists' && again.record.response).toEqual(response);
      // A completed key is not released, nor completed twice.
      expect(await store.release(entry().keyDigest, 'key-1', reserved.token)).toBe(false);
      expect(
        await store.complete(entry().keyDigest, 'key-1', reserved.token, { status: 500, body: {} }),
      ).toBe(false);
    });

    it('releases only with the reservation token, after which the key can be reserved again', async () => {
      const store = await open();
      const reserved = await store.reserve(entry());
      if (reserved.kind !== 'reserved') throw new Error('not reserved');
      expect(await store.release(entry().keyDigest, 'key-1', 'stale')).toBe(false);
      expect((await store.reserve(entry())).kind).toBe('exists');
      expect(await store.release(entry().keyDigest, 'key-1', reserved.token)).toBe(true);
      const again = await store.reserve(entry());
      expect(again.kind).toBe('reserved');
      expect(again.kind === 'reserved' && again.token).not.toBe(reserved.token);
    });

    it('lets exactly one of many concurrent reservations of one key win', async () => {
      const a = await open();
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => a.reserve(entry())));
      expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(1);
    });

    it('hands a stopped process’s pending keys to the next one, and none of its own', async () => {
      const first = await open();
      await first.reserve(entry({ key: 'left-pending' }));
      const done = await first.reserve(entry({ key: 'answered' }));
      if (done.kind !== 'reserved') throw new Error('not reserved');
      await first.complete(entry().keyDigest, 'answered', done.token, { status: 201, body: {} });
      expect(await first.abandoned()).toEqual([]);
      await first.close();
      opened.splice(opened.indexOf(first), 1);

      const next = await open(true);
      const abandoned = await next.abandoned();
      expect(abandoned.map((r) => [r.key, r.state, r.abandoned])).toEqual([
        ['left-pending', 'pending', true],
      ]);
      const record = abandoned[0]!;
      expect(await next.reserve(entry({ key: 'left-pending' }))).toMatchObject({
        kind: 'exists',
        record: { abandoned: true, token: record.token },
      });
      expect(await next.release(record.keyDigest, record.key, record.token)).toBe(true);
      expect(await next.abandoned()).toEqual([]);
      expect((await next.reserve(entry({ key: 'left-pending' }))).kind).toBe('reserved');
      expect(await next.abandoned()).toEqual([]);
    });
  });
}
