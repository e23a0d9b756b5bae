import { deepFreeze, type RecordedClaimEvent } from '@app/claims';

interface Cached {
  recorded: RecordedClaimEvent;
  position: bigint;
}

/**
 * The decoded events of the claims read at past cuts and in timelines (one cache per process,
 * shared by HistoricalClaims and ClaimTimeline), by stream version. A claim's event at a
 * version never changes (the log is append-only and dense), so once read it answers every later
 * cut read that needs it: a busy claim's cut reads fold the same events after the same snapshots
 * read after read, and reading and decoding them was the largest part of the fold (a tenth of an
 * `asOf` read's CPU, and most of its garbage).
 *
 * Each event is frozen, deeply, as it is kept: the fold (`evolveClaimReadState`) builds its own
 * records from an event and must never write into one that later reads share; a write would
 * throw instead of corrupting them. Bounded by events, the least recently read claims evicted.
 */
export class ClaimEventCache {
  private readonly streams = new Map<string, Map<number, Cached>>();
  private size = 0;

  constructor(private readonly maxEvents = 10_000) {}

  /**
   * The stream's events from `fromVersion` in version order, stopping at the first past
   * `toPosition` (a stream's positions grow with its versions): those in memory, then the rest
   * read by `load` from the first version missing, and kept.
   */
  async read(
    streamId: string,
    fromVersion: number,
    toPosition: bigint,
    load: (fromVersion: number) => Promise<RecordedClaimEvent[]>,
  ): Promise<RecordedClaimEvent[]> {
    const events: RecordedClaimEvent[] = [];
    const stream = this.touch(streamId);
    let version = fromVersion;
    for (let cached = stream.get(version); cached !== undefined; cached = stream.get(++version)) {
      if (cached.position > toPosition) return events;
      events.push(cached.recorded);
    }
    for (const recorded of await load(version)) {
      const position = BigInt(recorded.position);
      if (position > toPosition) break;
      if (!stream.has(recorded.streamVersion)) {
        stream.set(recorded.streamVersion, { recorded: deepFreeze(recorded), position });
        this.size += 1;
      }
      events.push(recorded);
    }
    this.evict();
    return events;
  }

  /** The stream's entry, made the most recently used (a Map iterates in insertion order). */
  private touch(streamId: string): Map<number, Cached> {
    const stream = this.streams.get(streamId) ?? new Map<number, Cached>();
    this.streams.delete(streamId);
    this.streams.set(streamId, stream);
    return stream;
  }

  /** The least recently read streams first; a stream alone past the bound is not kept either. */
  private evict(): void {
    for (const [streamId, stream] of this.streams) {
      if (this.size <= this.maxEvents) return;
      this.streams.delete(streamId);
      this.size -= stream.size;
    }
  }
}
