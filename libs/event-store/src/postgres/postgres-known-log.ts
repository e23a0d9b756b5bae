import type { StoredEvent } from '../port/event-store.port';
import type { StreamTip } from '../core/append-plan';

/** Streams whose tips are remembered; the oldest learned is forgotten first beyond this. */
const MAX_TIPS = 20_000;

/**
 * What this process last learned of the log: stream tips and the last `recordedAt`. Only a guess
 * to plan a batch against (docs/decisions/0024): `append_events` checks every part of it under the
 * append lock, so a wrong guess (another replica appended, the cache forgot a stream) costs one
 * more round trip, never a wrong outcome. A stream it does not know is guessed empty.
 */
export class KnownLog {
  private readonly tips = new Map<string, StreamTip>();
  private last: string | undefined;

  tip(streamId: string): StreamTip | undefined {
    return this.tips.get(streamId);
  }

  get lastRecordedAt(): string | undefined {
    return this.last;
  }

  /** What a commit of ours or the log under the lock says: authoritative at that moment. */
  setTip(streamId: string, tip: StreamTip | undefined): void {
    this.tips.delete(streamId);
    if (tip === undefined) return;
    this.tips.set(streamId, tip);
    if (this.tips.size > MAX_TIPS) {
      const oldest = this.tips.keys().next();
      if (oldest.done !== true) this.tips.delete(oldest.value);
    }
  }

  /** `recordedAt` never decreases with position, so a later one is always the better guess. */
  recorded(recordedAt: string | undefined): void {
    if (recordedAt !== undefined && (this.last === undefined || recordedAt > this.last))
      this.last = recordedAt;
  }

  /** The tips and time of events just committed, in position order. */
  committed(events: readonly StoredEvent[]): void {
    for (const event of events) {
      this.setTip(event.streamId, { version: event.streamVersion, lastHash: event.metadata.hash });
    }
    this.recorded(events.at(-1)?.metadata.recordedAt);
  }

  /**
   * A stream read to its end (no position cut). A read that raced one of our commits may be older
   * than what the commit taught: versions only grow, so the higher one wins.
   */
  read(streamId: string, events: readonly StoredEvent[]): void {
    const last = events.at(-1);
    if (last === undefined) return;
    const known = this.tips.get(streamId);
    if (known !== undefined && known.version >= last.streamVersion) return;
    this.setTip(streamId, { version: last.streamVersion, lastHash: last.metadata.hash });
  }
}
