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
});
