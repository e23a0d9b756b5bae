import { createdId, statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A cut read folds each source up to the cut (historical-claims.ts); a voice is the top of a
 * chain of affiliations (issue 10), which can be several levels long. At the head, a cut read must
 * be the current read: the same voices, the same status (runs on SQLite and PostgreSQL).
 */
describe('cut reads of claims whose sources speak through chains of affiliations', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const created = (path: string, body: object) => createdId(api, path, body);
  const withoutCut = ({ cut: _cut, ...view }: Record<string, unknown>) => view;

  it('reads the voice at the top of a three-level chain at the head as now', async () => {
    const state = await created('/sources', { name: 'Saudi government', kind: 'organization' });
    const ministry = await created('/sources', {
      name: 'Foreign ministry',
      kind: 'organization',
      affiliationId: state,
    });
    const consulate = await created('/sources', {
      name: 'Consulate',
      kind: 'organization',
      affiliationId: ministry,
    });
    const consul = await created('/sources', { name: 'Consul', kind: 'person', affiliationId: consulate });
    const official = await created('/sources', {
      name: 'Officials',
      kind: 'anonymous',
      affiliationId: state,
    });
    const claimId = await created('/claims', {
      storyId: 'story-cut-chains',
      proposition: { text: 'The journalist left the consulate alive', language: 'en' },
      valueKind: 'boolean',
    });
    await created(
      `/claims/${claimId}/statements`,
      statementBody(consul, 'affirms', true, '2018-10-06T10:00:00Z'),
    );
    await created(`/claims/${claimId}/statements`, {
      ...statementBody(official, 'affirms', true, '2018-10-07T10:00:00Z'),
      attribution: 'anonymous',
    });
    const now = await api.get(`/claims/${claimId}`);
    expect(now.body.status).toBe('single-source');
    expect(new Set(now.body.positions.map((p: { voice: string }) => p.voice))).toEqual(new Set([state]));
    const head = (await api.get('/health')).body.head as string;
    for (const query of [`asOfPosition=${head}`, 'statedBefore=2030-01-01T00:00:00Z']) {
      const cut = await api.get(`/claims/${claimId}?${query}`);
      expect([query, withoutCut(cut.body)]).toEqual([query, withoutCut(now.body)]);
    }
  });
});
