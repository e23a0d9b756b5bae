import { CLM, SRC, STM } from '@app/claims';
import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 10: count lines of evidence, not mouths (runs on SQLite, and on PostgreSQL with
 * E2E_EVENT_STORE=postgres). Anonymous officials and offices speak with the voice at the top of
 * their chain of affiliations.
 */
describe('lines of evidence over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  async function source(body: object): Promise<string> {
    const res = await api.post('/sources', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function claim(): Promise<string> {
    const res = await api.post('/claims', {
      storyId: 'story-evidence',
      proposition: { text: 'The journalist was killed inside the consulate', language: 'en' },
      valueKind: 'boolean',
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function report(claimId: string, body: object): Promise<string> {
    const res = await api.post(`/claims/${claimId}/statements`, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  describe('affiliations', () => {
    it('reads an official and anonymous officials of the same government as one voice: single-source', async () => {
      const turkey = await source({ name: 'Turkish presidency', kind: 'organization' });
      const official = await source({
        name: 'Yasin Aktay',
        kind: 'person',
        role: 'adviser',
        affiliationId: turkey,
      });
      const anonymous = await source({ name: 'Turkish officials', kind: 'anonymous', affiliationId: turkey });
      const c = await claim();
      await report(c, statementBody(official, 'affirms', true, '2018-10-06T18:00:00Z'));
      await report(c, {
        ...statementBody(anonymous, 'affirms', true, '2018-10-07T09:00:00Z'),
        attribution: 'anonymous',
      });
      const read = await api.get(`/claims/${c}`);
      expect(read.body).toMatchObject({ status: 'single-source', agreedValue: true });
      expect(new Set(read.body.positions.map((p: { voice: string }) => p.voice))).toEqual(new Set([turkey]));
      expect((await api.get(`/sources/${anonymous}`)).body.voice).toBe(turkey);
    });

    it('follows a chain of offices to the top, and moves members when a link is amended', async () => {
      const state = await source({ name: 'Saudi government', kind: 'organization' });
      const consulate = await source({ name: 'Consulate', kind: 'organization' });
      const consul = await source({ name: 'Consul', kind: 'person', affiliationId: consulate });
      const minister = await source({ name: 'Foreign minister', kind: 'person', affiliationId: state });
      const c = await claim();
      await report(c, statementBody(consul, 'denies', undefined, '2018-10-06T10:00:00Z'));
      await report(c, statementBody(minister, 'denies', undefined, '2018-10-07T10:00:00Z'));
      expect((await api.get(`/claims/${c}`)).body.status).toBe('corroborated');
      const amended = await api.post(`/sources/${consulate}/amendments`, {
        changes: { affiliationId: state },
        reason: 'the consulate speaks for the government',
      });
      expect(amended.status).toBe(201);
      const read = await api.get(`/claims/${c}`);
      expect(read.body).toMatchObject({ status: 'single-source', agreedValue: false });
      expect((await api.get(`/sources/${consul}`)).body.voice).toBe(state);
    });

    it('refuses a cycle of affiliations, an outlet with an affiliation, and appends nothing', async () => {
      const ministry = await source({ name: 'Ministry', kind: 'organization' });
      const office = await source({ name: 'Office', kind: 'organization', affiliationId: ministry });
      const before = (await api.get('/health')).body.head;
      const cycle = await api.post(`/sources/${ministry}/amendments`, {
        changes: { affiliationId: office },
        reason: 'mistake',
      });
      expect(cycle.status).toBe(422);
      expect(cycle.body.code).toBe('AFFILIATION_INVALID');
      const outlet = await api.post('/sources', { name: 'Sabah', kind: 'outlet', affiliationId: ministry });
      expect(outlet.status).toBe(422);
      expect((await api.get('/health')).body.head).toBe(before);
    });
  });

  describe('relayed statements (basis)', () => {
    it('reads an official, an anonymous official of the same government and a second government relaying its findings as single-source', async () => {
      const turkey = await source({ name: 'Turkish government', kind: 'organization' });
      const prosecutor = await source({
        name: 'Istanbul chief prosecutor',
        kind: 'person',
        affiliationId: turkey,
      });
      const anonymous = await source({ name: 'Turkish officials', kind: 'anonymous', affiliationId: turkey });
      const usa = await source({ name: 'US government', kind: 'organization' });
      const c = await claim();
      const finding = await report(c, statementBody(prosecutor, 'affirms', true, '2018-10-31T10:00:00Z'));
      await report(c, {
        ...statementBody(anonymous, 'affirms', true, '2018-10-31T12:00:00Z'),
        attribution: 'anonymous',
      });
      const relay = await report(c, {
        ...statementBody(usa, 'affirms', true, '2018-11-01T15:00:00Z'),
        basis: { statementId: finding },
      });
      const read = await api.get(`/claims/${c}`);
      expect(read.body).toMatchObject({ status: 'single-source', agreedValue: true, conflicts: [] });
      expect(read.body.voices.map((v: { voice: string }) => v.voice)).toEqual([turkey]);
      expect(read.body.positions).toContainEqual(
        expect.objectContaining({
          sourceId: usa,
          voice: turkey,
          basis: { statementId: finding },
          relay: { sourceId: prosecutor, statementIds: [finding], retracted: false },
        }),
      );
      const history = await api.get(`/claims/${c}/statements`);
      expect(history.body.items.find((s: { statementId: string }) => s.statementId === relay).basis).toEqual({
        statementId: finding,
      });
      const timeline = await api.get(`/claims/${c}/timeline`);
      expect(timeline.body.entries.at(-1).statement.basis).toEqual({ statementId: finding });
      // Without the basis, the second government would be a second line of evidence.
      const d = await claim();
      await report(d, statementBody(prosecutor, 'affirms', true, '2018-10-31T10:00:00Z'));
      await report(d, statementBody(usa, 'affirms', true, '2018-11-01T15:00:00Z'));
      expect((await api.get(`/claims/${d}`)).body.status).toBe('corroborated');
    });

    it('follows a relay chain, and a relay of a retracted statement counts for nothing', async () => {
      const saudi = await source({ name: 'Saudi government', kind: 'organization' });
      const king = await source({ name: 'King Salman', kind: 'person', affiliationId: saudi });
      const president = await source({ name: 'US president', kind: 'person' });
      const wire = await source({ name: 'Wire', kind: 'outlet' });
      const c = await claim();
      const denial = await report(c, statementBody(king, 'denies', undefined, '2018-10-15T14:00:00Z'));
      const relayed = await report(c, {
        ...statementBody(president, 'denies', undefined, '2018-10-15T15:00:00Z'),
        basis: { statementId: denial },
      });
      await report(c, {
        ...statementBody(wire, 'denies', undefined, '2018-10-15T16:00:00Z'),
        basis: { statementId: relayed },
      });
      const chained = await api.get(`/claims/${c}`);
      expect(chained.body).toMatchObject({ status: 'single-source', agreedValue: false });
      expect(chained.body.positions.find((p: { sourceId: string }) => p.sourceId === wire).relay).toEqual({
        sourceId: king,
        statementIds: [relayed, denial],
        retracted: false,
      });
      const retraction = await api.post(`/claims/${c}/statements/${denial}/retraction`, {
        reason: 'misattributed',
        faultOf: 'channel',
      });
      expect(retraction.status).toBe(201);
      const orphaned = await api.get(`/claims/${c}`);
      expect(orphaned.body).toMatchObject({ status: 'unconfirmed', voices: [], agreedValue: null });
      expect(orphaned.body.positions).toHaveLength(2);
    });

    it('exports a relayed statement with the origin as author and the relayer as the channel', async () => {
      const king = await source({ name: 'King Salman', kind: 'person' });
      const president = await source({ name: 'US president', kind: 'person' });
      const senator = await source({ name: 'Senator', kind: 'person' });
      const c = await claim();
      const denial = await report(c, statementBody(king, 'denies', undefined, '2018-10-15T14:00:00Z'));
      const relayed = await report(c, {
        ...statementBody(president, 'denies', undefined, '2018-10-15T15:00:00Z'),
        basis: { statementId: denial },
      });
      const echo = await report(c, {
        ...statementBody(senator, 'denies', undefined, '2018-10-15T16:00:00Z'),
        basis: { statementId: relayed },
      });
      const verdict = await api.post(
        `/claims/${c}/verdicts`,
        { rating: 'unverifiable', rationale: 'one line of evidence', evidence: [relayed, echo] },
        { as: 'editor' },
      );
      expect(verdict.status).toBe(201);
      const review = await api.get(`/claims/${c}/claim-review`, 'reporter');
      expect(review.status).toBe(200);
      expect(review.body.itemReviewed.appearance).toEqual([
        expect.objectContaining({
          author: { '@type': 'Thing', name: 'King Salman' },
          publisher: { '@type': 'Thing', name: 'US president' },
        }),
        expect.objectContaining({
          author: { '@type': 'Thing', name: 'King Salman' },
          publisher: { '@type': 'Thing', name: 'Senator' },
        }),
      ]);
    });

    it('moves a relay with the relayed source when that source joins a chain', async () => {
      const state = await source({ name: 'State', kind: 'organization' });
      const ministry = await source({ name: 'Ministry', kind: 'organization' });
      const outlet = await source({ name: 'State newspaper', kind: 'outlet' });
      const c = await claim();
      await report(c, statementBody(state, 'affirms', true, '2018-10-20T10:00:00Z'));
      await report(c, {
        ...statementBody(outlet, 'affirms', true, '2018-10-20T11:00:00Z'),
        basis: { sourceId: ministry },
      });
      expect((await api.get(`/claims/${c}`)).body.status).toBe('corroborated');
      const joined = await api.post(`/sources/${ministry}/amendments`, {
        changes: { affiliationId: state },
        reason: 'the ministry is part of the state',
      });
      expect(joined.status).toBe(201);
      const read = await api.get(`/claims/${c}`);
      expect(read.body.status).toBe('single-source');
      expect(read.body.voices.map((v: { voice: string }) => v.voice)).toEqual([state]);
    });

    it('refuses a basis that names an unknown source or statement, or the reporter itself (422)', async () => {
      const a = await source({ name: 'Outlet', kind: 'outlet' });
      const c = await claim();
      const unknownSource = await api.post(`/claims/${c}/statements`, {
        ...statementBody(a, 'affirms', true),
        basis: { sourceId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(unknownSource.status).toBe(422);
      expect(unknownSource.body.code).toBe('SOURCE_NOT_FOUND');
      const unknownStatement = await api.post(`/claims/${c}/statements`, {
        ...statementBody(a, 'affirms', true),
        basis: { statementId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(unknownStatement.status).toBe(422);
      expect(unknownStatement.body.code).toBe('STATEMENT_NOT_FOUND');
      const itself = await api.post(`/claims/${c}/statements`, {
        ...statementBody(a, 'affirms', true),
        basis: { sourceId: a },
      });
      expect(itself.status).toBe(422);
      const both = await api.post(`/claims/${c}/statements`, {
        ...statementBody(a, 'affirms', true),
        basis: { sourceId: a, statementId: a },
      });
      expect(both.status).toBe(400);
    });
  });
});

describe('lines of evidence in the Raqqa demo', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ NEWSROOM_DEMO: 'on' });
  });
  afterAll(() => api.close());

  it("counts SOHR's relay of the French intelligence's belief with that voice, still single-source", async () => {
    const read = await api.get(`/claims/${CLM.foreignPartDelayed}`);
    expect(read.body.status).toBe('single-source');
    expect(read.body.positions).toEqual([
      expect.objectContaining({
        sourceId: SRC.sohr,
        statementId: STM.sohrForeignPartDelayed,
        voice: SRC.frenchIntelligence,
        basis: { sourceId: SRC.frenchIntelligence },
      }),
    ]);
  });

  it('hears the coalition and its spokesman as one voice', async () => {
    const read = await api.get(`/claims/${CLM.foreignFightersIncluded}`);
    const coalition = read.body.positions.filter(
      (p: { sourceId: string }) => p.sourceId === SRC.coalition || p.sourceId === SRC.ryanDillon,
    );
    expect(coalition).toHaveLength(2);
    expect(coalition.every((p: { voice: string }) => p.voice === SRC.coalition)).toBe(true);
    expect(read.body.voices.filter((v: { voice: string }) => v.voice === SRC.coalition)).toHaveLength(1);
  });
});
