import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@app/event-store';
import { type ClaimStories, FeedSelector, streamTypeOf } from './feed-filter';

let position = 0n;
const stored = (streamId: string, type: string, data: unknown = {}): StoredEvent => ({
  eventId: randomUUID(),
  streamId,
  streamVersion: 1,
  position: ++position,
  type,
  schemaVersion: 1,
  data,
  metadata: { principal: 't', correlationId: 'c', recordedAt: '', hash: '', prevHash: '' },
});
const opened = (claimId: string, storyId: string) =>
  stored(`claim-${claimId}`, 'ClaimOpened', { claimId, storyId });
const reported = (claimId: string) => stored(`claim-${claimId}`, 'StatementReported', { claimId });
const source = () => stored(`source-${randomUUID()}`, 'SourceRegistered');

/** A ClaimStories that knows some claims, and counts what it was asked. */
function stories(known: Record<string, string>) {
  const asked: { claimId: string; before: bigint }[] = [];
  const lookup: ClaimStories = {
    storyOf: (claimId, before) => {
      asked.push({ claimId, before });
      return Promise.resolve(known[claimId]);
    },
  };
  return { lookup, asked };
}

describe('feed filters', () => {
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];

  it('names the stream type by the stream id before its first dash', () => {
    expect(streamTypeOf(`claim-${a}`)).toBe('claim');
    expect(streamTypeOf(`source-${a}`)).toBe('source');
    expect(streamTypeOf('odd')).toBe('odd');
  });

  it('without a filter passes everything, in order', async () => {
    const batch = [source(), opened(a, 's'), reported(a)];
    expect(await new FeedSelector({}, stories({}).lookup).select(batch)).toEqual(batch);
  });

  it('filters by stream type and by claim', async () => {
    const batch = [source(), opened(a, 's'), reported(b), reported(a)];
    const claims = await new FeedSelector({ streamType: 'claim' }, stories({}).lookup).select(batch);
    expect(claims).toEqual(batch.slice(1));
    const sources = await new FeedSelector({ streamType: 'source' }, stories({}).lookup).select(batch);
    expect(sources).toEqual([batch[0]]);
    const one = await new FeedSelector({ claimId: a }, stories({}).lookup).select(batch);
    expect(one).toEqual([batch[1], batch[3]]);
  });

  it('learns a claim opened in the batch from the batch itself, without asking', async () => {
    const { lookup, asked } = stories({});
    const batch = [opened(a, 'raqqa'), reported(a), opened(b, 'mosul'), reported(b), source()];
    const selected = await new FeedSelector({ storyId: 'raqqa' }, lookup).select(batch);
    expect(selected).toEqual(batch.slice(0, 2));
    expect(asked).toEqual([]);
  });

  it('asks once per older claim, before the event at hand, and remembers across batches', async () => {
    const { lookup, asked } = stories({ [a]: 'raqqa', [b]: 'mosul' });
    const selector = new FeedSelector({ storyId: 'raqqa' }, lookup);
    const first = [reported(a), reported(b), reported(a)];
    expect(await selector.select(first)).toEqual([first[0], first[2]]);
    const second = [reported(b), reported(a), opened(c, 'raqqa'), reported(c)];
    expect(await selector.select(second)).toEqual(second.slice(1));
    expect(asked).toEqual([
      { claimId: a, before: first[0]!.position },
      { claimId: b, before: first[1]!.position },
    ]);
  });

  it('keeps at most cacheSize claims, forgetting the least recently used first', async () => {
    const { lookup, asked } = stories({ [a]: 'raqqa', [b]: 'raqqa', [c]: 'raqqa' });
    const selector = new FeedSelector({ storyId: 'raqqa' }, lookup, 2);
    await selector.select([reported(a), reported(b), reported(a), reported(c)]);
    // a was used after b, so b went when c came.
    await selector.select([reported(a), reported(b)]);
    expect(asked.map((q) => q.claimId)).toEqual([a, b, c, b]);
  });

  it('combines filters: a story and a stream type, a claim outside the story passes nothing', async () => {
    const batch = [opened(a, 'raqqa'), reported(a), source()];
    const both = await new FeedSelector({ storyId: 'raqqa', streamType: 'claim' }, stories({}).lookup).select(
      batch,
    );
    expect(both).toEqual(batch.slice(0, 2));
    const none = await new FeedSelector({ storyId: 'mosul', claimId: a }, stories({}).lookup).select(batch);
    expect(none).toEqual([]);
  });
});
