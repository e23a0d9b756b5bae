import { convoyClaimBody, createdId, statementBody } from './support/bodies';
import { startTestApp, type TestApp, projectionsCaughtUp } from './support/test-app';

/**
 * A cut read without `statedBefore` starts from the latest snapshot (every 50 events of a claim)
 * and reads statements reported before it from the rows; with `statedBefore` it folds the whole
 * stream. Across a merge (ClaimAbsorbed brings statements reported on another stream) and later
 * corrections and retractions of absorbed statements, both must tell the same claim at every
 * position, and the cut at the head must be the current read.
 */
describe('cut reads across a merge, from snapshots and from the whole stream', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const created = (path: string, body: object) => createdId(api, path, body);
  const claim = () => created('/claims', convoyClaimBody('story-merge-snapshots'));
  const head = async () => BigInt((await api.get('/health')).body.head as string);
  const withoutCut = ({ cut: _cut, ...view }: Record<string, unknown>) => view;

  async function compareEveryCut(claimId: string, from: bigint): Promise<void> {
    const last = await head();
    for (let position = from; position <= last; position += 1n) {
      const snapshotRead = await api.get(`/claims/${claimId}?asOfPosition=${position}`);
      const wholeRead = await api.get(
        `/claims/${claimId}?asOfPosition=${position}&statedBefore=2100-01-01T00:00:00Z`,
      );
      expect([String(position), snapshotRead.status]).toEqual([String(position), wholeRead.status]);
      if (snapshotRead.status !== 200) continue;
      expect([String(position), withoutCut(snapshotRead.body)]).toEqual([
        String(position),
        withoutCut(wholeRead.body),
      ]);
    }
    const now = await api.get(`/claims/${claimId}`);
    const atHead = await api.get(`/claims/${claimId}?asOfPosition=${last}`);
    expect(withoutCut(atHead.body)).toEqual(withoutCut(now.body));
  }

  it.each([
    ['the snapshot before the merge', 49],
    ['the snapshot holding the absorbed statements', 48],
  ])(
    'agrees at every position with %s',
    async (_what, before) => {
      const sources: string[] = [];
      for (let i = 0; i < 4; i += 1)
        sources.push(await created('/sources', { name: `Source ${i}`, kind: 'organization' }));
      const survivor = await claim();
      const merged = await claim();
      const start = await head();
      const absorbedIds: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        absorbedIds.push(
          await created(
            `/claims/${merged}/statements`,
            statementBody(
              sources[i % 2]!,
              i % 2 ? 'denies' : 'affirms',
              i % 2 === 0,
              `2017-10-1${i}T09:00:00Z`,
            ),
          ),
        );
      }
      // A relay inside the merged claim: after the merge its chain runs through absorbed statements.
      await created(`/claims/${merged}/statements`, {
        ...statementBody(sources[3]!, 'affirms', true, '2017-10-13T09:00:00Z'),
        basis: { statementId: absorbedIds[0] },
      });
      // The surviving claim reaches version `before + 1`: the merge lands just after, or at, a snapshot.
      for (let i = 0; i < before; i += 1) {
        await created(
          `/claims/${survivor}/statements`,
          statementBody(sources[2 + (i % 2)]!, 'affirms', true, `2017-10-0${1 + (i % 9)}T09:00:00Z`),
        );
      }
      expect(
        (await created(`/claims/${merged}/merger`, { intoClaimId: survivor, reason: 'one' })).length,
      ).toBe(36);
      const correct = await api.post(`/claims/${survivor}/statements/${absorbedIds[0]}/corrections`, {
        changes: { stance: 'denies', value: false },
        reason: 'misheard',
      });
      const retract = await api.post(`/claims/${survivor}/statements/${absorbedIds[1]}/retraction`, {
        reason: 'source-withdrew',
      });
      // Absorbed statements are the surviving claim's own now: changed and relayed there.
      expect([correct.status, retract.status]).toEqual([201, 201]);
      await created(`/claims/${survivor}/statements`, {
        ...statementBody(sources[2]!, 'affirms', true, '2017-10-16T09:00:00Z'),
        basis: { statementId: absorbedIds[2] },
      });
      await projectionsCaughtUp(api);
      await compareEveryCut(survivor, start);
      await compareEveryCut(merged, start);
    },
    120_000,
  );
});
