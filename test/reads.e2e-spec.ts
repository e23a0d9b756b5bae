import { CLM, RAQQA_STORY_ID } from '@app/claims';
import { startTestApp, type TestApp } from './support/test-app';

/** Reads over HTTP on the demo: paging, cuts on both time axes, and their errors. */
describe('reads over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ NEWSROOM_DEMO: 'on' });
  });
  afterAll(() => api.close());

  it('pages through the story with an opaque cursor, each claim once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await api.get(`/claims?storyId=${RAQQA_STORY_ID}&limit=5${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.items.map((c: any) => c.claimId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(CLM.foreignFightersIncluded);
    expect(seen.length).toBeGreaterThanOrEqual(11);
    // Summaries: status and why, not the statement history.
    const page = await api.get(`/claims?storyId=${RAQQA_STORY_ID}&limit=1`);
    expect(page.body.items[0]).toMatchObject({
      status: expect.any(String),
      statementCount: expect.any(Number),
    });
    expect(page.body.items[0].statements).toBeUndefined();
    expect(pages).toBeGreaterThan(1);
  });

  it('answers asOf (recorded time) like asOfPosition at the last event recorded by then', async () => {
    const timeline = (await api.get(`/claims/${CLM.foreignFightersIncluded}/timeline`)).body.entries;
    const second = timeline[1];
    const byTime = await api.get(`/claims/${CLM.foreignFightersIncluded}?asOf=${second.recordedAt}`);
    expect(byTime.status).toBe(200);
    expect(BigInt(byTime.body.cut.asOfPosition)).toBeGreaterThanOrEqual(BigInt(second.position));
    expect(byTime.body.cut.asOf).toBe(second.recordedAt);
    expect(byTime.body.streamVersion).toBeGreaterThanOrEqual(second.streamVersion);
  });

  it('combines a recorded cut with a stated cut', async () => {
    const timeline = (await api.get(`/claims/${CLM.someForeignFightersLeft}/timeline`)).body.entries;
    const last = timeline[timeline.length - 1];
    const res = await api.get(
      `/claims/${CLM.someForeignFightersLeft}?asOfPosition=${last.position}&statedBefore=2017-10-14T21:00:00Z`,
    );
    expect(res.status).toBe(200);
    expect(res.body.cut).toEqual({ asOfPosition: last.position, statedBefore: '2017-10-14T21:00:00Z' });
    expect(res.body.status).toBe('single-source');
  });

  it('answers 404 for a claim read before it was opened', async () => {
    const res = await api.get(`/claims/${CLM.foreignFightersIncluded}?asOfPosition=1`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CLAIM_NOT_FOUND');
  });

  it.each([
    ['/claims/not-a-claim', 404],
    ['/claims/not-a-claim/timeline', 404],
    ['/sources/not-a-source', 404],
    [`/claims/${CLM.foreignFightersIncluded}?asOf=yesterday`, 400],
    [`/claims/${CLM.foreignFightersIncluded}?asOfPosition=-3`, 400],
    [`/claims/${CLM.foreignFightersIncluded}?colour=red`, 400],
    ['/claims?status=maybe', 400],
    ['/claims?limit=0', 400],
    ['/claims?cursor=bm9wZQ', 422],
    ['/events?after=x', 400],
  ])('GET %s answers %i problem details', async (path, status) => {
    const res = await api.get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
  });

  it('serves health, metrics and the OpenAPI document without a key', async () => {
    const health = await api.request('GET', '/health', { as: 'nobody' });
    expect(health.body).toMatchObject({ status: 'ok', lag: '0' });
    const metrics = await api.request('GET', '/metrics', { as: 'nobody' });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('newsroom_log_head_position');
    expect(metrics.body).toContain('http_request_duration_seconds');
    const docs = await api.request('GET', '/docs/openapi.json', { as: 'nobody' });
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/claims', '/claims/{claimId}', '/claims/{claimId}/statements', '/events']),
    );
    const statementBody =
      docs.body.paths['/claims/{claimId}/statements'].post.requestBody.content['application/json'].schema;
    expect(statementBody.required).toEqual(
      expect.arrayContaining(['sourceId', 'stance', 'quote', 'statedAt']),
    );
  });

  it('answers 304 to a client holding the current version, and tags cut reads apart', async () => {
    const first = await api.get(`/claims/${CLM.foreignFightersIncluded}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(new RegExp(`^"${first.body.streamVersion}\\.[0-9a-f]{16}"$`));
    const again = await api.request('GET', `/claims/${CLM.foreignFightersIncluded}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const cut = await api.get(`/claims/${CLM.foreignFightersIncluded}?statedBefore=2017-10-14T21:00:00Z`);
    expect(cut.headers.get('etag')).toMatch(
      new RegExp(`^W/"${cut.body.streamVersion};2017-10-14T21:00:00Z;[0-9a-f]{16}"$`),
    );
  });

  it("lists a source's statements across claims in the order they were said", async () => {
    const res = await api.get('/sources/59a9a038-ae59-4016-a5a0-ddd375d0fcbe/statements', 'reporter');
    expect(res.status).toBe(200);
    const times = res.body.items.map((i: any) => Date.parse(i.statement.statedAt.at));
    expect(times.length).toBeGreaterThan(2);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(res.body.items.map((i: any) => i.claimId)).size).toBeGreaterThan(1);
  });

  it('finds sources by name, in Arabic with or without diacritics, or in Latin, and by kind', async () => {
    const byArabic = await api.get(`/sources?q=${encodeURIComponent('طلال')}`, 'reporter');
    expect(byArabic.status).toBe(200);
    expect(byArabic.body.items.map((s: any) => s.sourceId)).toContain('59a9a038-ae59-4016-a5a0-ddd375d0fcbe');
    const byLatin = await api.get('/sources?q=SILO');
    expect(byLatin.body.items.map((s: any) => s.sourceId)).toEqual(['59a9a038-ae59-4016-a5a0-ddd375d0fcbe']);
    expect(byLatin.body.items[0].voice).toBe('4a507479-b69e-49aa-8b87-d482fbab6181');
    // With diacritics the stored name does not have: still found.
    const withMarks = await api.get(`/sources?q=${encodeURIComponent('مُصطَفى')}`);
    expect(withMarks.body.items.length).toBe(1);
    const organizations = await api.get('/sources?kind=organization&limit=2');
    expect(organizations.body.items).toHaveLength(2);
    expect(organizations.body.items.every((s: any) => s.kind === 'organization')).toBe(true);
    const next = await api.get(`/sources?kind=organization&limit=2&cursor=${organizations.body.nextCursor}`);
    expect(next.body.items[0].sourceId > organizations.body.items[1].sourceId).toBe(true);
    expect((await api.get('/sources?q=%25')).body.items).toEqual([]);
    expect((await api.get('/sources?kind=robot')).status).toBe(400);
  });
});
