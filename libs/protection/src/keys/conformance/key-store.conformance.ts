import type { SourceKeyRow, SourceKeyStore } from '../key-store.port';

export interface KeyStoreHarness {
  /** A fresh, empty store (every call in one suite shares the same underlying table). */
  open(): Promise<SourceKeyStore>;
  cleanup(): Promise<void>;
}

const row = (sourceId: string, masterKeyId = 'mk-a', wrappedKey = `wrapped-${sourceId}`): SourceKeyRow => ({
  sourceId,
  wrappedKey,
  masterKeyId,
  createdAt: '2026-11-30T16:00:00.000Z',
});

/** What every SourceKeyStore adapter must do; run against SQLite and PostgreSQL. */
export function describeSourceKeyStore(name: string, makeHarness: () => KeyStoreHarness): void {
  describe(`SourceKeyStore conformance: ${name}`, () => {
    let harness: KeyStoreHarness;
    let store: SourceKeyStore;
    beforeAll(async () => {
      harness = makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await store.close();
      await harness.cleanup();
    });

    it('stores a key once: a second insert for the source answers the first row', async () => {
      expect(await store.insertIfAbsent(row('s-1'))).toEqual(row('s-1'));
      expect(await store.insertIfAbsent(row('s-1', 'mk-b', 'other'))).toEqual(row('s-1'));
      expect(await store.find('s-1')).toEqual(row('s-1'));
      expect(await store.find('s-unknown')).toBeUndefined();
    });

    it('deletes a key for good, and says whether there was one', async () => {
      await store.insertIfAbsent(row('s-2'));
      expect(await store.delete('s-2')).toBe(true);
      expect(await store.find('s-2')).toBeUndefined();
      expect(await store.delete('s-2')).toBe(false);
      const reopened = await harness.open();
      expect(await reopened.find('s-2')).toBeUndefined();
      expect(await reopened.find('s-1')).toEqual(row('s-1'));
      await reopened.close();
    });

    it('lists the keys wrapped by other master keys, and re-wraps only from the wrapping it read', async () => {
      await store.insertIfAbsent(row('s-3', 'mk-b'));
      await store.insertIfAbsent(row('s-4', 'mk-c'));
      const stale = await store.wrappedByOtherThan('mk-a', 10);
      expect(stale.map((r) => r.sourceId)).toEqual(['s-3', 's-4']);
      expect((await store.wrappedByOtherThan('mk-a', 1)).length).toBe(1);
      expect(await store.rewrap('s-3', 'mk-b', { wrappedKey: 'new-3', masterKeyId: 'mk-a' })).toBe(true);
      // A second rotation that read the old wrapping loses: the row moved on.
      expect(await store.rewrap('s-3', 'mk-b', { wrappedKey: 'stale', masterKeyId: 'mk-z' })).toBe(false);
      expect(await store.find('s-3')).toMatchObject({ wrappedKey: 'new-3', masterKeyId: 'mk-a' });
      expect(await store.rewrap('s-missing', 'mk-b', { wrappedKey: 'x', masterKeyId: 'mk-a' })).toBe(false);
      expect((await store.wrappedByOtherThan('mk-a', 10)).map((r) => r.sourceId)).toEqual(['s-4']);
    });
  });
}
