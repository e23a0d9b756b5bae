import { Inject, Injectable } from '@nestjs/common';
import { claimStreamId } from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { ClaimStories } from '@app/feeds';
import { READ_MODELS, type ReadModelStore } from '@app/projections';

/**
 * A claim's story, for story feeds: the claims read model knows it (a claim's story never changes,
 * so a read model ahead of the feed is as good as one level with it). The read models may lag the
 * log (a busy projector, or another replica's): then the claim's own stream says, in its first
 * event, ClaimOpened — read up to the event being filtered, so it costs only the claims the read
 * models have not seen yet. Claims opened in the batch being filtered never get here (FeedSelector).
 */
@Injectable()
export class ReadModelClaimStories implements ClaimStories {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async storyOf(claimId: string, before: bigint): Promise<string | undefined> {
    const projected = await this.readModels.claim(claimId);
    if (projected) return projected.storyId;
    const [first] = await this.store.readStream(claimStreamId(claimId), { toPosition: before });
    if (first?.type !== 'ClaimOpened') return undefined;
    const storyId = (first.data as { storyId?: unknown }).storyId;
    return typeof storyId === 'string' ? storyId : undefined;
  }

  /** Whether the claim exists (for the 404 of `GET /claims/{id}/stream`, as `GET /claims/{id}`). */
  async exists(claimId: string): Promise<boolean> {
    if (await this.readModels.claim(claimId)) return true;
    return (await this.store.readStream(claimStreamId(claimId))).length > 0;
  }
}
