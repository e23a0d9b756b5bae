import { randomUUID } from 'node:crypto';
import { claimStreamId, EventCodec } from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 10, decision 0020: merging two claims found to be one proposition (runs on SQLite, and on
 * PostgreSQL with E2E_EVENT_STORE=postgres).
 */
const NO_SUCH_CLAIM = '00000000-0000-4000-8000-000000000000';

describe('merging claims over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  async function created(path: string, body: object): Promise<string> {
    const res = await api.post(path, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const claim = (storyId = 'story-merge', valueKind = 'boolean') =>
    created('/claims', {
      storyId,
      proposition: { text: 'Foreign fighters left Raqqa with the convoy', language: 'en' },
      valueKind,
    });
  const source = (name: string) => created('/sources', { name, kind: 'organization' });
  const head = async () => (await api.get('/health')).body.head as string;

  it('merges two claims: the merged one points on, the surviving one counts its statements', async () => {
    const council = await source('Raqqa Civil Council');
    const sdf = await source('SDF');
    const survivor = await claim();
    const merged = await claim();
    await created(
      `/claims/${survivor}/statements`,
      statementBody(council, 'affirms', true, '2017-10-14T09:00:00Z'),
    );
    const sdfSaid = await created(
      `/claims/${merged}/statements`,
      statementBody(sdf, 'affirms', false, '2017-10-15T09:00:00Z'),
    );
    const cut = await head();
    expect((await api.get(`/claims/${survivor}`)).body.status).toBe('single-source');

    const merge = await api.post(`/claims/${merged}/merger`, {
      intoClaimId: survivor,
      reason: 'one proposition, opened twice',
    });
    expect(merge.status).toBe(201);

    const gone = await api.get(`/claims/${merged}`);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ mergedInto: survivor, merged: [] });
    const kept = await api.get(`/claims/${survivor}`);
    expect(kept.body).toMatchObject({ mergedInto: null, merged: [merged], status: 'contested' });
    expect(kept.body.positions.map((p: { statementId: string }) => p.statementId)).toContain(sdfSaid);
    expect(kept.body.statementCounts.total).toBe(2);
    const history = await api.get(`/claims/${survivor}/statements`);
    expect(history.body.items.find((s: { statementId: string }) => s.statementId === sdfSaid)).toMatchObject({
      mergedFrom: merged,
    });

    // The source's own list names each of its statements once, under the claim where it counts.
    const bySdf = (await api.get(`/sources/${sdf}/statements`)).body.items;
    expect(bySdf.map((s: { claimId: string }) => s.claimId)).toEqual([survivor]);

    // A cut before the merge shows two separate claims; after it, one.
    const before = await api.get(`/claims/${survivor}?asOfPosition=${cut}`);
    expect(before.body).toMatchObject({ merged: [], status: 'single-source' });
    expect((await api.get(`/claims/${merged}?asOfPosition=${cut}`)).body.mergedInto).toBeNull();
    const after = await api.get(`/claims/${survivor}?asOfPosition=${await head()}`);
    expect(after.body).toMatchObject({ merged: [merged], status: 'contested' });
    const statedBefore = await api.get(`/claims/${survivor}?statedBefore=2030-01-01T00:00:00Z`);
    expect(statedBefore.body).toMatchObject({ merged: [merged], status: 'contested' });

    // Both timelines show the merge.
    const mergedTimeline = (await api.get(`/claims/${merged}/timeline`)).body.entries;
    expect(mergedTimeline.at(-1)).toMatchObject({ type: 'ClaimsMerged', intoClaimId: survivor });
    const survivorTimeline = (await api.get(`/claims/${survivor}/timeline`)).body.entries;
    expect(survivorTimeline.at(-1)).toMatchObject({
      type: 'ClaimAbsorbed',
      mergedClaimId: merged,
      statementIds: [sdfSaid],
    });

    // A statement on the merged claim afterwards is refused, naming the surviving claim.
    const before2 = await head();
    const late = await api.post(
      `/claims/${merged}/statements`,
      statementBody(sdf, 'affirms', true, '2017-10-16T09:00:00Z'),
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CLAIM_MERGED');
    expect(late.body.detail).toContain(survivor);
    expect(await head()).toBe(before2);
    // The merged statement is the surviving claim's now: it is retracted there.
    const retracted = await api.post(`/claims/${survivor}/statements/${sdfSaid}/retraction`, {
      reason: 'misattributed',
    });
    expect(retracted.status).toBe(201);
    expect((await api.get(`/claims/${survivor}`)).body.status).toBe('single-source');
  });

  it('refuses a merge into itself, into a merged claim, of a merged claim, across stories or kinds', async () => {
    const a = await claim();
    const b = await claim();
    const c = await claim();
    const expectRefused = async (from: string, into: string, status: number, code: string) => {
      const res = await api.post(`/claims/${from}/merger`, { intoClaimId: into, reason: 'duplicate' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    };
    await expectRefused(a, a, 422, 'MERGE_INTO_ITSELF');
    await expectRefused(a, NO_SUCH_CLAIM, 422, 'CLAIM_NOT_FOUND');
    await expectRefused(NO_SUCH_CLAIM, a, 404, 'CLAIM_NOT_FOUND');
    await expectRefused(a, await claim('another-story'), 422, 'MERGE_INCOMPATIBLE');
    await expectRefused(a, await claim('story-merge', 'quantity'), 422, 'MERGE_INCOMPATIBLE');
    expect((await api.post(`/claims/${b}/merger`, { intoClaimId: c, reason: 'duplicate' })).status).toBe(201);
    await expectRefused(a, b, 409, 'MERGE_TARGET_MERGED');
    await expectRefused(b, a, 409, 'CLAIM_MERGED');
    const bad = await api.post(`/claims/${a}/merger`, { intoClaimId: c });
    expect(bad.status).toBe(400);
  });

  it('completes a merge whose second append was lost, and answers a completed one with 409', async () => {
    const sdf = await source('SDF spokesman');
    const survivor = await claim();
    const merged = await claim();
    const said = await created(`/claims/${merged}/statements`, statementBody(sdf, 'denies', false));
    // A crash after the first append: the merged claim is closed, the surviving one has nothing yet.
    const store = api.app.get<EventStore>(EVENT_STORE);
    const codec = api.app.get(EventCodec);
    const version = (await store.readStream(claimStreamId(merged))).length;
    const closing = codec.encode({
      type: 'ClaimsMerged',
      data: { claimId: merged, intoClaimId: survivor, reason: 'duplicate' },
    });
    await store.append(
      claimStreamId(merged),
      [{ eventId: randomUUID(), ...closing, metadata: { principal: 'test', correlationId: randomUUID() } }],
      version,
    );
    // Never counted twice, never half: until the second append the surviving claim lacks them all.
    const lagging = await api.get(`/claims/${survivor}`);
    expect(lagging.body).toMatchObject({ merged: [], statementCounts: { total: 0 } });

    const resumed = await api.post(`/claims/${merged}/merger`, { intoClaimId: survivor, reason: 'again' });
    expect(resumed.status).toBe(201);
    expect((await api.get(`/claims/${merged}`)).body.mergedInto).toBe(survivor);
    const kept = await api.get(`/claims/${survivor}`);
    expect(kept.body).toMatchObject({ merged: [merged], statementCounts: { total: 1 } });
    expect(kept.body.positions[0].statementId).toBe(said);
    const timeline = (await api.get(`/claims/${survivor}/timeline`)).body.entries;
    // The reason recorded when the claim closed, not the retry's.
    expect(timeline.at(-1)).toMatchObject({ type: 'ClaimAbsorbed', reason: 'duplicate' });

    const head = (await api.get('/health')).body.head;
    const again = await api.post(`/claims/${merged}/merger`, { intoClaimId: survivor, reason: 'again' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'CLAIM_MERGED' });
    expect((await api.get('/health')).body.head).toBe(head);
  });
});
