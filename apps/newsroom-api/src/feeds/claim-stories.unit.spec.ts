import { randomUUID } from 'node:crypto';
import type { ClaimReadState } from '@app/claims';
import { InMemoryEventStore, type NewEvent } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import type { ReadModelStore } from '@app/projections';
import { ReadModelClaimStories } from './claim-stories';

const opened = (claimId: string, storyId: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'ClaimOpened',
  schemaVersion: 1,
  data: { claimId, storyId, proposition: { text: 'x', language: 'en' }, valueKind: 'boolean' },
  metadata: { principal: 'test', correlationId: randomUUID() },
});

describe('ReadModelClaimStories', () => {
  const [projected, lagging, unknown] = [randomUUID(), randomUUID(), randomUUID()];
  let store: InMemoryEventStore;
  let stories: ReadModelClaimStories;
  beforeEach(async () => {
    store = new InMemoryEventStore(new TestClock());
    await store.append(`claim-${projected}`, [opened(projected, 'raqqa')], 0);
    await store.append(`claim-${lagging}`, [opened(lagging, 'mosul')], 0);
    // The read models have seen only the first claim (a projector behind the log).
    const claims = new Map<string, ClaimReadState>([[projected, { storyId: 'raqqa' } as ClaimReadState]]);
    const readModels = { claim: (id: string) => claims.get(id) } as unknown as ReadModelStore;
    stories = new ReadModelClaimStories(readModels, store);
  });

  it('answers from the read model when it has the claim, without reading the log', async () => {
    const readStream = jest.spyOn(store, 'readStream');
    expect(await stories.storyOf(projected, 10n)).toBe('raqqa');
    expect(readStream).not.toHaveBeenCalled();
  });

  it("reads the claim stream's ClaimOpened when the read models lag, up to the event at hand", async () => {
    const readStream = jest.spyOn(store, 'readStream');
    expect(await stories.storyOf(lagging, 10n)).toBe('mosul');
    expect(readStream).toHaveBeenCalledWith(`claim-${lagging}`, { toPosition: 10n });
    // Not opened before that position: no story yet.
    expect(await stories.storyOf(lagging, 1n)).toBeUndefined();
  });

  it('knows no story for a claim that is nowhere, and says which claims exist', async () => {
    expect(await stories.storyOf(unknown, 10n)).toBeUndefined();
    expect(await stories.exists(projected)).toBe(true);
    expect(await stories.exists(lagging)).toBe(true);
    expect(await stories.exists(unknown)).toBe(false);
  });
});
