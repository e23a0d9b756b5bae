import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/** Issue 12 over HTTP: a busy claim's bounded view, its paged history and timeline, cut reads. */
describe('a busy claim over HTTP', () => {
  let api: TestApp;
  let claimId: string;
  const sources: string[] = [];
  const reported: string[] = [];
  let sdf: string;

  beforeAll(async () => {
    api = await startTestApp();
    sdf = (await api.post('/sources', { name: 'SDF', kind: 'organization' })).body.id;
    for (let i = 0; i < 6; i++) {
      const body =
        i < 2
          ? { name: `Spokesman ${i}`, kind: 'person', affiliationId: sdf }
          : { name: `Org ${i}`, kind: 'organization' };
      sources.push((await api.post('/sources', body)).body.id);
    }
    claimId = (
      await api.post('/claims', {
        storyId: 'busy',
        proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
        valueKind: 'boolean',
      })
    ).body.id;
    // 210 statements: past one snapshot (every 200 events), from six sources in two camps.
    for (let i = 0; i < 210; i++) {
      const at = new Date(Date.UTC(2017, 9, 14, 0, i)).toISOString().replace('.000', '');
      const source = sources[i % sources.length]!;
      const body = statementBody(
        source,
        i % 2 === 0 ? 'affirms' : 'denies',
        i % 2 === 0 ? true : undefined,
        at,
      );
      const res = await api.post(`/claims/${claimId}/statements`, body);
      expect(res.status).toBe(201);
      reported.push(res.body.id);
    }
    await api.post(`/claims/${claimId}/statements/${reported[3]}/corrections`, {
      changes: { value: false },
      reason: 'typed wrong',
    });
    await api.post(`/claims/${claimId}/statements/${reported[209]}/retraction`, { reason: 'misattributed' });
  }, 120_000);
  afterAll(() => api.close());

  it('answers a bounded view: sides, counts and links, no inlined history', async () => {
    const res = await api.get(`/claims/${claimId}`);
    expect(res.status).toBe(200);
    expect(res.body.statements).toBeUndefined();
    expect(res.body.positions).toHaveLength(6);
    expect(res.body.statementCounts).toEqual({ total: 210, live: 209, superseded: 203, retracted: 1 });
    expect(res.body.links).toEqual({
      statements: `/claims/${claimId}/statements`,
      timeline: `/claims/${claimId}/timeline`,
    });
    expect(res.body.status).toBe('contested');
    expect(res.body.conflicts).toHaveLength(1);
    expect(JSON.stringify(res.body).length).toBeLessThan(10_000);
  });

  it('pages GET /claims/{id}/statements returning every statement exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await api.get(`/claims/${claimId}/statements?limit=17${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(17);
      seen.push(...res.body.items.map((s: any) => s.statementId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toHaveLength(210);
    expect(new Set(seen)).toEqual(new Set(reported));
    expect(pages).toBe(Math.ceil(210 / 17));
  });

  it('shows corrections with the original, retractions, and live or superseded', async () => {
    const all = (await api.get(`/claims/${claimId}/statements?limit=500`)).body.items;
    const corrected = all.find((s: any) => s.statementId === reported[3]);
    expect(corrected).toMatchObject({ value: false, original: { stance: 'denies' }, live: true });
    expect(corrected.corrections).toHaveLength(1);
    const retracted = all.find((s: any) => s.statementId === reported[209]);
    expect(retracted).toMatchObject({
      live: false,
      superseded: false,
      retraction: { reason: 'misattributed' },
    });
  });

  it('filters by state, stance, source, voice and stated time', async () => {
    const count = async (query: string) =>
      (await api.get(`/claims/${claimId}/statements?limit=500&${query}`)).body.items.length as number;
    expect(await count('state=retracted')).toBe(1);
    expect(await count('state=live')).toBe(209);
    expect(await count('state=superseded')).toBe(203);
    expect(await count('stance=affirms')).toBe(105);
    expect(await count(`sourceId=${sources[2]}`)).toBe(35);
    // The two spokesmen speak with the SDF's voice.
    expect(await count(`voice=${sdf}`)).toBe(70);
    expect(await count('statedBefore=2017-10-14T00:10:00Z')).toBe(10);
    expect(await count('statedAfter=2017-10-14T00:10:00Z&statedBefore=2017-10-14T00:20:00Z')).toBe(10);
  });

  it('pages the timeline with a Link header, and gives it all without a limit', async () => {
    const all = await api.get(`/claims/${claimId}/timeline`);
    expect(all.body.entries).toHaveLength(213);
    expect(all.headers.get('link')).toBeNull();
    const first = await api.get(`/claims/${claimId}/timeline?limit=100`);
    expect(first.body.entries).toHaveLength(100);
    const link = first.headers.get('link')!;
    expect(link).toMatch(/^<\/claims\/.+\/timeline\?limit=100&cursor=.+>; rel="next"$/);
    expect(first.headers.get('x-next-cursor')).toBe(first.body.nextCursor);
    const next = await api.get(link.slice(1, link.indexOf('>')));
    const last = await api.get(`/claims/${claimId}/timeline?limit=100&cursor=${next.body.nextCursor}`);
    expect(last.headers.get('link')).toBeNull();
    const paged = [...first.body.entries, ...next.body.entries, ...last.body.entries];
    expect(paged).toEqual(all.body.entries);
  });

  it('reads a cut after the snapshot exactly as the full fold does', async () => {
    const entries = (await api.get(`/claims/${claimId}/timeline`)).body.entries;
    for (const entry of [entries[150], entries[205], entries.at(-1)]) {
      const cut = await api.get(`/claims/${claimId}?asOfPosition=${entry.position}`);
      // statedBefore far in the future keeps every statement but folds the whole stream.
      const full = await api.get(
        `/claims/${claimId}?asOfPosition=${entry.position}&statedBefore=2030-01-01T00:00:00Z`,
      );
      expect(cut.status).toBe(200);
      const { cut: _a, ...fromSnapshot } = cut.body;
      const { cut: _b, ...fromScratch } = full.body;
      expect(fromSnapshot).toEqual(fromScratch);
      expect(cut.body.status).toBe(entry.statusAfter);
    }
    const { cut: _c, ...now } = (await api.get(`/claims/${claimId}`)).body;
    const { cut: _d, ...atHead } = (
      await api.get(`/claims/${claimId}?asOfPosition=${entries.at(-1).position}`)
    ).body;
    expect(atHead).toEqual(now);
  });

  it.each([
    ['/claims/00000000-0000-4000-8000-000000000000/statements', 404],
    ['/claims/00000000-0000-4000-8000-000000000000/timeline?limit=5', 404],
    ['/statements?limit=0', 400],
    ['/statements?state=dead', 400],
    ['/statements?stance=insists', 400],
    ['/statements?statedAfter=yesterday', 400],
    ['/statements?statedAfter=2017-10-15T00:00:00Z&statedBefore=2017-10-14T00:00:00Z', 400],
    ['/statements?colour=red', 400],
    ['/statements?cursor=bm9wZQ', 422],
    ['/timeline?limit=0', 400],
    ['/timeline?cursor=bm9wZQ', 422],
  ])('GET %s answers %i problem details', async (path, status) => {
    const res = await api.get(path.startsWith('/claims') ? path : `/claims/${claimId}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
