import { randomUUID } from 'node:crypto';
import { convoyClaimBody, createdId, statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Statement ids are per claim (a client may choose them), so two claims can hold the same one; a
 * merge of such claims is refused, 409 MERGE_STATEMENT_CLASH (decision 0020). Refused means
 * nothing happened: the claim to be merged must stay open, its statements counted where they are,
 * so that the clash can be resolved and the merge sent again. Runs on SQLite and PostgreSQL.
 */
describe('a merge refused for a statement id in both claims', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const created = (path: string, body: object) => createdId(api, path, body);
  const claim = () => created('/claims', convoyClaimBody('story-merge-clash'));

  it('leaves the claim open, its statement counted, and appends nothing', async () => {
    const council = await created('/sources', { name: 'Raqqa Civil Council', kind: 'organization' });
    const sdf = await created('/sources', { name: 'SDF', kind: 'organization' });
    const survivor = await claim();
    const other = await claim();
    const shared = randomUUID();
    await created(`/claims/${survivor}/statements`, {
      ...statementBody(council, 'affirms', true),
      statementId: shared,
    });
    await created(`/claims/${other}/statements`, {
      ...statementBody(sdf, 'denies', false),
      statementId: shared,
    });
    const before = (await api.get('/health')).body.head;
    const otherBefore = (await api.get(`/claims/${other}`)).body;

    const merge = await api.post(`/claims/${other}/merger`, {
      intoClaimId: survivor,
      reason: 'one proposition',
    });
    expect([merge.status, merge.body.code]).toEqual([409, 'MERGE_STATEMENT_CLASH']);

    expect((await api.get('/health')).body.head).toBe(before);
    const otherAfter = (await api.get(`/claims/${other}`)).body;
    expect(otherAfter).toMatchObject({ mergedInto: null, status: otherBefore.status });
    // Still open: the clash can be resolved on it and the merge sent again.
    await created(`/claims/${other}/statements`, statementBody(sdf, 'denies', false, '2017-10-15T09:00:00Z'));
  });
});
