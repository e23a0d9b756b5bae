import {
  type EventCodec,
  evolveSourceRecord,
  type SourceEvent,
  type SourceRecord,
  sourceStreamId,
} from '@app/claims';
import type { EventStore } from '@app/event-store';

/**
 * Every version of a source, by the position of the event that made it: a source's stream is
 * short and, the log being append-only, what was read up to position P never changes, so a cut
 * read at or before P is answered from memory instead of re-reading the source's stream. A busy
 * claim's voices are the same read after read: without this, each cut read folded every one of
 * them again (40 voices cost more than the claim's own events after its snapshot).
 */
interface Versions {
  /** Read up to this position: valid for any cut at or before it. */
  upTo: bigint;
  /** Ascending by position. */
  versions: { position: bigint; record: SourceRecord }[];
}

export class SourceHistory {
  private readonly cache = new Map<string, Versions>();

  constructor(private readonly maxSources = 10_000) {}

  /** The source as of `position`, or undefined when the cache cannot say (not read that far). */
  at(sourceId: string, position: bigint): SourceRecord | undefined | 'unknown' {
    const entry = this.cache.get(sourceId);
    if (entry === undefined || entry.upTo < position) return 'unknown';
    // Recently used last: the Map's order is the eviction order.
    this.cache.delete(sourceId);
    this.cache.set(sourceId, entry);
    return entry.versions.findLast((v) => v.position <= position)?.record;
  }

  /** Folds a stream read up to `upTo` and remembers every version. */
  remember(
    sourceId: string,
    upTo: bigint,
    events: readonly { position: bigint; event: SourceEvent }[],
  ): SourceRecord | undefined {
    let record: SourceRecord | undefined;
    const versions = events.map(({ position, event }) => {
      record = evolveSourceRecord(record, event);
      return { position, record };
    });
    this.cache.delete(sourceId);
    this.cache.set(sourceId, { upTo, versions });
    if (this.cache.size > this.maxSources) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return record;
  }
}

/**
 * Reads a source's stream up to `upTo`, then folds and remembers every version (what cut reads and
 * timelines do when `at` cannot say). `upTo` must not pass the head of the log: what is remembered
 * is taken as final for every position up to it.
 */
export async function readSourceHistory(
  history: SourceHistory,
  store: EventStore,
  codec: EventCodec,
  sourceId: string,
  upTo: bigint,
): Promise<SourceRecord | undefined> {
  const stored = await store.readStream(sourceStreamId(sourceId), { toPosition: upTo });
  const events = stored.map((e) => ({ position: e.position, event: codec.decode(e) as SourceEvent }));
  return history.remember(sourceId, upTo, events);
}
