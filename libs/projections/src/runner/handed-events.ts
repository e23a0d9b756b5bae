import type { StoredEvent } from '@app/event-store';

/** Beyond this many events waiting, the hand-over is dropped: the runner reads the log instead. */
const MAX_WAITING = 50_000;

/**
 * Events this process's own appends just committed, handed to the runner so that it can project
 * them without reading them back from the log (the SQLite writer thread). They
 * are kept by position, so the appends of a group commit may hand theirs over in any order; the
 * runner takes only a dense run that starts right after its checkpoint (`take`), and reads the
 * log in every other case (a gap: an append not handed over yet, another writer, an import).
 *
 * Only committed events may be handed over: an append's result, once its promise resolved.
 */
export class HandedEvents {
  private readonly waiting = new Map<bigint, StoredEvent>();

  add(events: readonly StoredEvent[]): void {
    if (this.waiting.size + events.length > MAX_WAITING) {
      // The runner is not keeping up (or not running): the log has them all.
      this.waiting.clear();
      return;
    }
    for (const event of events) this.waiting.set(event.position, event);
  }

  /**
   * The events at positions `after + 1`, `after + 2`, … without a gap, at most `limit` of them and
   * none past `to`; empty when the next position was not handed over. What is taken is forgotten.
   */
  take(after: bigint, limit: number, to?: bigint): StoredEvent[] {
    const run: StoredEvent[] = [];
    for (let position = after + 1n; run.length < limit && (to === undefined || position <= to); position++) {
      const event = this.waiting.get(position);
      if (event === undefined) break;
      this.waiting.delete(position);
      run.push(event);
    }
    return run;
  }

  /** Forgets what is at or below `checkpoint`: projected already (read back from the log). */
  forgetThrough(checkpoint: bigint): void {
    if (this.waiting.size === 0) return;
    for (const position of this.waiting.keys()) {
      if (position <= checkpoint) this.waiting.delete(position);
    }
  }

  clear(): void {
    this.waiting.clear();
  }
}
