import { createdId, statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A claim's view changes with events of other streams too: amending a source's affiliation moves
 * its statements to another voice (issue 10), which can turn a corroborated claim single-source
 * without an event on the claim's stream. A client revalidating with the ETag it holds must then
 * get the new view, never a 304 for the old one (runs on SQLite and PostgreSQL).
 */
describe('conditional claim reads after a source changes', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const created = (path: string, body: object) => createdId(api, path, body);
  const conditional = (path: string, etag: string) =>
    api.request('GET', path, { headers: { 'if-none-match': etag } });

  it('answers the new view, not 304, once an affiliation amendment changed it', async () => {
    const state = await created('/sources', { name: 'Saudi government', kind: 'organization' });
    const consulate = await created('/sources', { name: 'Consulate', kind: 'organization' });
    const consul = await created('/sources', { name: 'Consul', kind: 'person', affiliationId: consulate });
    const minister = await created('/sources', {
      name: 'Foreign minister',
      kind: 'person',
      affiliationId: state,
    });
    const claimId = await created('/claims', {
      storyId: 'story-etag',
      proposition: { text: 'The journalist left the consulate alive', language: 'en' },
      valueKind: 'boolean',
    });
    await created(
      `/claims/${claimId}/statements`,
      statementBody(consul, 'affirms', true, '2018-10-06T10:00:00Z'),
    );
    await created(
      `/claims/${claimId}/statements`,
      statementBody(minister, 'affirms', true, '2018-10-07T10:00:00Z'),
    );
    const cut = '?statedBefore=2030-01-01T00:00:00Z';
    const before = await api.get(`/claims/${claimId}`);
    const beforeCut = await api.get(`/claims/${claimId}${cut}`);
    expect([before.body.status, beforeCut.body.status]).toEqual(['corroborated', 'corroborated']);
    const etag = before.headers.get('etag')!;
    const etagCut = beforeCut.headers.get('etag')!;
    expect((await conditional(`/claims/${claimId}`, etag)).status).toBe(304);

    await created(`/sources/${consulate}/amendments`, {
      changes: { affiliationId: state },
      reason: 'the consulate speaks for the government',
    });
    const after = await conditional(`/claims/${claimId}`, etag);
    expect([after.status, after.body.status]).toEqual([200, 'single-source']);
    expect(after.headers.get('etag')).not.toBe(etag);
    const afterCut = await conditional(`/claims/${claimId}${cut}`, etagCut);
    expect([afterCut.status, afterCut.body.status]).toEqual([200, 'single-source']);
    // The new tag revalidates, and still serves as If-Match for the claim's next write.
    expect((await conditional(`/claims/${claimId}`, after.headers.get('etag')!)).status).toBe(304);
    const next = await api.post(
      `/claims/${claimId}/rewordings`,
      {
        proposition: { text: 'The journalist left the consulate alive, it was said', language: 'en' },
        reason: 'wording',
      },
      { headers: { 'if-match': after.headers.get('etag')! } },
    );
    expect(next.status).toBe(201);
  });
});
