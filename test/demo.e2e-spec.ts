import { CLM, RAQQA_STORY_ID, STM } from '@app/claims';
import { startTestApp, type TestApp } from './support/test-app';

/** The "done when", driven over HTTP against a SQLite file with the demo loaded at start. */
describe('the Raqqa demo over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ NEWSROOM_DEMO: 'on' });
  });
  afterAll(() => api.close());

  it('lists the foreign-fighters claim as contested, with both sides of the conflict', async () => {
    const res = await api.get(`/claims?storyId=${RAQQA_STORY_ID}&status=contested`, 'reporter');
    expect(res.status).toBe(200);
    const claim = res.body.items.find((c: { claimId: string }) => c.claimId === CLM.foreignFightersIncluded);
    expect(claim).toBeDefined();
    expect(claim.status).toBe('contested');
    // One conflict between the two sides (yes against no), not one per pair of voices.
    expect(claim.conflicts).toHaveLength(1);
    const [{ a, b, reason }] = claim.conflicts;
    expect(reason).toBe('incompatible-values');
    expect([a.value, b.value]).toEqual([true, false]);
    const statementsOf = (side: any) => side.voices.map((v: any) => v.statementId);
    // The coalition's denial stands against the council's and the observatory's affirmations.
    expect(statementsOf(b)).toContain(STM.coalitionExcludesForeign);
    expect(statementsOf(a)).toEqual(expect.arrayContaining([STM.alloushForeignIncluded, expect.any(String)]));
    // A voice stands on one side only, named with the statement that is its position.
    const voices = [...a.voices, ...b.voices].map((v: any) => v.voice);
    expect(new Set(voices).size).toBe(voices.length);
    expect(b.voices.find((v: any) => v.statementId === STM.coalitionExcludesForeign)).toMatchObject({
      stance: 'denies',
      voiceName: expect.any(String),
    });
  });

  it('shows the Syrian fighters who left as single-source', async () => {
    const res = await api.get(`/claims/${CLM.syrianFightersLeft}`, 'reporter');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('single-source');
    expect(res.headers.get('etag')).toMatch(new RegExp(`^"${res.body.streamVersion}\\.[0-9a-f]{16}"$`));
  });

  it('is not contested as of the position before the first denial, and its timeline shows when it became so', async () => {
    const timeline = await api.get(`/claims/${CLM.foreignFightersIncluded}/timeline`, 'auditor');
    expect(timeline.status).toBe(200);
    const entries: any[] = timeline.body.entries;
    const firstContested = entries.findIndex((e) => e.statusAfter === 'contested');
    expect(firstContested).toBeGreaterThan(0);
    expect(entries[firstContested].statementId).toBe(STM.coalitionExcludesForeign);
    const before = BigInt(entries[firstContested].position) - 1n;

    const then = await api.get(`/claims/${CLM.foreignFightersIncluded}?asOfPosition=${before}`, 'auditor');
    expect(then.status).toBe(200);
    expect(then.body.status).not.toBe('contested');
    expect(then.body.status).toBe('corroborated');
    expect(then.body.cut).toEqual({ asOfPosition: before.toString() });

    const at = await api.get(
      `/claims/${CLM.foreignFightersIncluded}?asOfPosition=${entries[firstContested].position}`,
    );
    expect(at.body.status).toBe('contested');
  });

  it('answers a historical read at the head exactly as the current read model', async () => {
    const now = await api.get(`/claims/${CLM.foreignFightersIncluded}`);
    const head = (await api.get('/health')).body.head as string;
    const atHead = await api.get(`/claims/${CLM.foreignFightersIncluded}?asOfPosition=${head}`);
    const { cut: _a, ...current } = now.body;
    const { cut: _b, ...historical } = atHead.body;
    expect(historical).toEqual(current);
  });

  it('filters by stated time: before Sunday the SDF had only said no', async () => {
    const res = await api.get(`/claims/${CLM.someForeignFightersLeft}?statedBefore=2017-10-14T21:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('single-source');
    expect(res.body.cut).toEqual({ statedBefore: '2017-10-14T21:00:00Z' });
    const now = await api.get(`/claims/${CLM.someForeignFightersLeft}`);
    expect(now.body.status).toBe('corroborated');
  });

  it('does not load the demo twice into a store that has events', async () => {
    const head = (await api.get('/health')).body.head as string;
    expect(BigInt(head)).toBeGreaterThan(50n);
  });

  it("publishes the desk's verdict as schema.org ClaimReview, and nothing for a claim without one", async () => {
    const review = await api.get(`/claims/${CLM.foreignFightersIncluded}/claim-review`, 'reporter');
    expect(review.status).toBe(200);
    expect(review.headers.get('content-type')).toContain('application/ld+json');
    expect(review.body).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      claimReviewed: 'Foreign ISIS fighters are included in the Raqqa evacuation deal',
      reviewRating: { alternateName: 'Unverifiable' },
    });
    expect(review.body.itemReviewed.appearance.length).toBeGreaterThanOrEqual(4);
    const none = await api.get(`/claims/${CLM.syrianFightersLeft}/claim-review`, 'reporter');
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('VERDICT_NOT_FOUND');
  });
});
