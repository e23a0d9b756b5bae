import { createHash } from 'node:crypto';
import { createdId, statementBody } from './support/bodies';
import { KEYS, startTestApp, type TestApp } from './support/test-app';

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

  it("digests the bytes it sends: a claim read's tag names its body, and a cut read revalidates", async () => {
    const source = await created('/sources', { name: 'Spokesman', kind: 'person' });
    const claimId = await created('/claims', {
      storyId: 'story-etag-bytes',
      proposition: { text: 'The count passed a hundred', language: 'en' },
      valueKind: 'boolean',
    });
    await created(
      `/claims/${claimId}/statements`,
      statementBody(source, 'affirms', true, '2018-10-06T10:00:00Z'),
    );
    const { position } = (await api.get(`/claims/${claimId}/timeline`)).body.entries[0];
    const raw = async (path: string) => {
      const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
      return { etag: res.headers.get('etag')!, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    const digestOf = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex').slice(0, 16);
    for (const path of [
      `/claims/${claimId}`,
      `/claims/${claimId}?asOfPosition=${position}`,
      `/claims/${claimId}?statedBefore=2030-01-01T00:00:00Z`,
    ]) {
      const { etag, bytes } = await raw(path);
      // The digest is the tag's last 16 hex digits, before its closing quote.
      expect(etag.slice(-17, -1)).toBe(digestOf(bytes));
      const again = await conditional(path, etag);
      expect([again.status, again.body]).toEqual([304, '']);
    }
  });
});
