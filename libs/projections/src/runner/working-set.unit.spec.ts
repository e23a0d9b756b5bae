import type { ClaimReadState, SourceRecord } from '@app/claims';
import type { ReadModelChanges, ReadModelReader } from '../newsroom.projection';
import type { AsyncReadModelBatch } from '../port/read-model-store.port';
import { LookupCache, WorkingSet } from './working-set';

const NONE: ReadModelChanges = {
  sources: [],
  claims: [],
  claimSources: [],
  statements: [],
  snapshots: [],
};
const source = (sourceId: string, affiliationId?: string) =>
  ({ sourceId, name: sourceId, kind: 'person', protected: false, affiliationId }) as unknown as SourceRecord;

/** A batch over plain maps that counts loads and sees only what was flushed to it. */
function fakeBatch() {
  const sources = new Map<string, SourceRecord>();
  const claimSources: { claimId: string; sourceId: string }[] = [];
  const loads: string[] = [];
  const batch: AsyncReadModelBatch = {
    source: (id) => (loads.push(`source ${id}`), Promise.resolve(sources.get(id))),
    claim: (id) => (loads.push(`claim ${id}`), Promise.resolve(undefined as ClaimReadState | undefined)),
    claimsWithSources: (ids) => {
      loads.push(`claimsWithSources ${ids.join(',')}`);
      const found = claimSources.filter((r) => ids.includes(r.sourceId)).map((r) => r.claimId);
      return Promise.resolve([...new Set(found)].sort());
    },
    sourcesAffiliatedWith: (id) => {
      loads.push(`sourcesAffiliatedWith ${id}`);
      return Promise.resolve(
        [...sources.values()].filter((s) => s.affiliationId === id).map((s) => s.sourceId),
      );
    },
    apply: (all) => {
      for (const changes of all) {
        for (const s of changes.sources) sources.set(s.sourceId, s);
        claimSources.push(...changes.claimSources);
      }
      return Promise.resolve();
    },
    claimCheckpoint: () => Promise.resolve(),
    saveCheckpoint: () => Promise.resolve(),
    recordLog: () => Promise.resolve(),
    statement: () => Promise.resolve(undefined),
    liveStatementsOf: () => Promise.resolve([]),
  };
  return { batch, loads, sources };
}

describe('the working set of an asynchronous projection', () => {
  it('loads what a pass misses, re-runs it, and answers later passes from memory', async () => {
    const { batch, loads, sources } = fakeBatch();
    sources.set('a', source('a'));
    const set = new WorkingSet(batch);
    const seen = await set.project((reader) => {
      const found = reader.source('a');
      return { ...NONE, sources: found ? [{ ...found, name: 'A' }] : [] };
    });
    expect(seen.sources[0]?.name).toBe('A');
    set.record(seen);
    const again = await set.project((reader) => ({ ...NONE, sources: [reader.source('a')!] }));
    expect(again.sources[0]?.name).toBe('A');
    expect(loads).toEqual(['source a']);
  });

  it('forgets lists a change may alter and reloads them after writing the pending changes', async () => {
    const { batch, loads } = fakeBatch();
    const set = new WorkingSet(batch);
    const ask = (reader: ReadModelReader) => ({
      affiliated: reader.sourcesAffiliatedWith('org'),
      claims: reader.claimsWithSources(['p']),
    });
    const first = await new LookupCache((m, a) =>
      (batch as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[m]!(...a),
    ).run(ask);
    expect(first).toEqual({ affiliated: [], claims: [] });

    const lists = { affiliated: [] as string[], claims: [] as string[] };
    set.record(
      await set.project((reader) => {
        Object.assign(lists, ask(reader));
        return { ...NONE, sources: [source('p', 'org')], claimSources: [{ claimId: 'c1', sourceId: 'p' }] };
      }),
    );
    expect(lists).toEqual({ affiliated: [], claims: [] });
    await set.project((reader) => {
      Object.assign(lists, ask(reader));
      return NONE;
    });
    expect(lists).toEqual({ affiliated: ['p'], claims: ['c1'] });
    expect(loads.filter((l) => l.startsWith('sourcesAffiliatedWith'))).toHaveLength(3);
  });

  it("loads a whole batch's lookups before the fold, one round trip per method and round", async () => {
    const { batch, loads, sources } = fakeBatch();
    for (const id of ['a', 'b', 'c']) sources.set(id, source(id, `org-${id}`));
    const many: string[] = [];
    const withMany = Object.assign(batch, {
      lookupMany: (method: string, argsList: unknown[][]) => {
        many.push(`${method} ${argsList.map((a) => String(a[0])).join(',')}`);
        if (method !== 'source') return Promise.resolve(undefined);
        return Promise.resolve(argsList.map((a) => sources.get(String(a[0]))));
      },
    });
    const set = new WorkingSet(withMany);
    // Each event's second lookup depends on its first: two rounds, each one lookupMany.
    const events = ['a', 'b', 'c'].map((id) => (reader: ReadModelReader) => {
      const found = reader.source(id);
      if (found === undefined) throw new Error('not loaded');
      return { ...NONE, sources: [reader.source(found.affiliationId!) ?? found] };
    });
    await set.prefetch(events);
    expect(many).toEqual(['source a,b,c', 'source org-a,org-b,org-c']);
    for (const compute of events) set.record(await set.project(compute));
    expect(loads).toEqual([]);
  });

  it('prefetches the second lookup of every event that shares its first with another', async () => {
    const { batch, loads, sources } = fakeBatch();
    for (const id of ['shared', 'x1', 'x2', 'x3']) sources.set(id, source(id));
    const many: string[] = [];
    const set = new WorkingSet(
      Object.assign(batch, {
        lookupMany: (method: string, argsList: unknown[][]) => {
          many.push(`${method} ${argsList.map((a) => String(a[0])).join(',')}`);
          return Promise.resolve(argsList.map((a) => sources.get(String(a[0]))));
        },
      }),
    );
    // Events on one claim: each asks for the claim (the same key), then for its own statement.
    const events = ['x1', 'x2', 'x3'].map((id) => (reader: ReadModelReader) => {
      if (reader.source('shared') === undefined) throw new Error('not loaded');
      return { ...NONE, sources: [reader.source(id)!] };
    });
    await set.prefetch(events);
    expect(loads).toEqual(['source shared']);
    expect(many).toEqual(['source x1,x2,x3']);
    for (const compute of events) set.record(await set.project(compute));
    expect(loads).toEqual(['source shared']);
  });

  it('answers a prefetched lookup with what an earlier event of the batch changed, not the row it loaded', async () => {
    const { batch, sources } = fakeBatch();
    sources.set('a', source('a'));
    const set = new WorkingSet(
      Object.assign(batch, {
        lookupMany: (_m: string, argsList: unknown[][]) =>
          Promise.resolve(argsList.map((a) => sources.get(String(a[0])))),
      }),
    );
    const rename = (reader: ReadModelReader) => ({
      ...NONE,
      sources: [{ ...reader.source('a')!, name: 'A2' }],
    });
    const read = (reader: ReadModelReader) => ({ ...NONE, sources: [reader.source('a')!] });
    await set.prefetch([rename, read]);
    set.record(await set.project(rename));
    expect((await set.project(read)).sources[0]?.name).toBe('A2');
  });

  it('names a reader method the store lacks instead of answering it wrongly', async () => {
    const { batch } = fakeBatch();
    const set = new WorkingSet(batch);
    const withNewMethod = (reader: ReadModelReader) =>
      (reader as unknown as { someNewLookup(c: string, s: string): string[] }).someNewLookup('c', 's');
    await expect(set.project((reader) => (withNewMethod(reader), NONE))).rejects.toThrow(
      /no method someNewLookup\(\)/,
    );
  });

  it('rethrows what a pass without misses throws', async () => {
    const set = new WorkingSet(fakeBatch().batch);
    await expect(
      set.project(() => {
        throw new Error('bad event');
      }),
    ).rejects.toThrow('bad event');
  });
});
