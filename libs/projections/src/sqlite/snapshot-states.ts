import { type ClaimReadState, deepFreeze } from '@app/claims';

/**
 * The parsed states of the claim snapshots that cut reads and timelines started from, kept per
 * read-model connection (decision 0041). A snapshot at a claim's stream version is the fold of the
 * log up to that version, and the log is append-only, so it never changes once written (a rebuild
 * writes the same state again): once parsed it answers every later read that starts from it. A
 * busy claim's `asOf` reads start from the same few dozen snapshots read after read, and parsing
 * one (a row as long as the claim has voices) was a fixed part of every read's CPU and garbage.
 *
 * Each state is frozen, deeply, as it is kept: the fold mutates the state it is given (in place,
 * `evolveClaimReadState`), so a reader folds a shallow copy of it (foldClaimSince); a write into a
 * shared nested record would throw instead of corrupting later reads. Bounded by the length of the
 * rows' text (a stand-in for their size in memory), the least recently used evicted first.
 */
export class SnapshotStates {
  private readonly states = new Map<string, { state: ClaimReadState; chars: number }>();
  private chars = 0;

  constructor(private readonly maxChars = 4_000_000) {}

  /** The state of the claim's snapshot at this stream version, parsed once by `parse`. */
  get(
    claimId: string,
    streamVersion: number,
    parse: () => { text: string; state: ClaimReadState },
  ): ClaimReadState {
    const key = `${claimId}\u0000${streamVersion}`;
    const kept = this.states.get(key);
    if (kept !== undefined) {
      // Recently used last: the Map's order is the eviction order.
      this.states.delete(key);
      this.states.set(key, kept);
      return kept.state;
    }
    const { text, state } = parse();
    const entry = { state: deepFreeze(state), chars: text.length };
    this.states.set(key, entry);
    this.chars += entry.chars;
    for (const [oldest, { chars }] of this.states) {
      if (this.chars <= this.maxChars) break;
      this.states.delete(oldest);
      this.chars -= chars;
    }
    return entry.state;
  }
}
