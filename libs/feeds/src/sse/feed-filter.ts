import { claimStreamId } from '@app/claims';
import type { StoredEvent } from '@app/event-store';

/** What a feed carries; every given field must match (AND). None: the whole log. */
export interface FeedFilter {
  /** The part of the stream id before the first `-`: `claim`, `source`. */
  streamType?: string;
  claimId?: string;
  /** Events of the claims of this story (claim events only). */
  storyId?: string;
}

/**
 * The story of a claim opened before the batch being filtered. Claim events name their story only
 * on ClaimOpened; a claim opened inside the batch is learnt from the batch itself, so this is asked
 * only about older claims (whose ClaimOpened is at a position below `before`).
 */
export interface ClaimStories {
  storyOf(claimId: string, before: bigint): Promise<string | undefined>;
}

const CLAIM_PREFIX = claimStreamId('');
const DEFAULT_CACHE = 10_000;

/** `claim-<uuid>` → `claim`: stream ids are `<type>-<id>` (claimStreamId, sourceStreamId). */
export function streamTypeOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

function claimIdOf(streamId: string): string | undefined {
  return streamId.startsWith(CLAIM_PREFIX) ? streamId.slice(CLAIM_PREFIX.length) : undefined;
}

function openedStory(event: StoredEvent): string | undefined {
  if (event.type !== 'ClaimOpened') return undefined;
  const storyId = (event.data as { storyId?: unknown } | null)?.storyId;
  return typeof storyId === 'string' ? storyId : undefined;
}

/**
 * Picks a feed's events out of a batch of the log, in log order. A story feed needs each claim's
 * story: remembered from ClaimOpened as the batches go by (so a claim opened in this very batch is
 * known before its next event), otherwise asked of `ClaimStories` once per claim. A claim's story
 * never changes, so the answers are kept, up to `cacheSize` claims (least recently used go first).
 */
export class FeedSelector {
  private readonly claimId: string | undefined;
  private readonly stories = new Map<string, string | undefined>();

  constructor(
    private readonly filter: FeedFilter,
    private readonly lookup: ClaimStories,
    private readonly cacheSize = DEFAULT_CACHE,
  ) {
    this.claimId = filter.claimId === undefined ? undefined : claimStreamId(filter.claimId);
  }

  /** The one stream a claim feed can match, which it may read alone; undefined for other feeds. */
  get singleStream(): string | undefined {
    return this.claimId;
  }

  async select(batch: readonly StoredEvent[]): Promise<StoredEvent[]> {
    const selected: StoredEvent[] = [];
    for (const event of batch) if (await this.matches(event)) selected.push(event);
    return selected;
  }

  private async matches(event: StoredEvent): Promise<boolean> {
    const { streamType, storyId } = this.filter;
    if (streamType !== undefined && streamTypeOf(event.streamId) !== streamType) return false;
    if (this.claimId !== undefined && event.streamId !== this.claimId) return false;
    if (storyId === undefined) return true;
    const claimId = claimIdOf(event.streamId);
    return claimId !== undefined && (await this.storyOf(claimId, event)) === storyId;
  }

  private async storyOf(claimId: string, event: StoredEvent): Promise<string | undefined> {
    const opened = openedStory(event);
    if (opened !== undefined) {
      this.remember(claimId, opened);
      return opened;
    }
    if (this.stories.has(claimId)) {
      const known = this.stories.get(claimId);
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.stories.delete(claimId);
      this.stories.set(claimId, known);
      return known;
    }
    const found = await this.lookup.storyOf(claimId, event.position);
    this.remember(claimId, found);
    return found;
  }

  private remember(claimId: string, storyId: string | undefined): void {
    this.stories.delete(claimId);
    this.stories.set(claimId, storyId);
    if (this.stories.size > this.cacheSize) {
      const oldest = this.stories.keys().next();
      if (!oldest.done) this.stories.delete(oldest.value);
    }
  }
}
