import type { StreamTip } from '../core/append-plan';

/**
 * The tips of streams this store itself committed, so that the next group commit need not read
 * them back (decision 0035: the tip read was ~1.7 µs of the ~27 µs of CPU per W1 event).
 *
 * A wrong tip cannot corrupt the log: versions are dense, so a stale tip's next version exists and
 * the UNIQUE (stream_id, stream_version) index refuses the insert (the writer then rolls the batch
 * back and writes it again carefully, tips read from the table), and a version conflict is
 * confirmed against the table before it is reported. The cache only has to be right often enough
 * to be worth keeping, so it is forgotten whenever a batch does not commit as written (a rollback,
 * the careful path) and whenever another connection committed: SQLite's `data_version` changes
 * then, and the writer reads it at the start of each transaction, inside the write lock (where it
 * cannot change until COMMIT, and our own COMMIT does not change it). Writes on the same connection do not change it: read models sharing the
 * connection (the API's writer thread) leave the cache alone; another store on the same
 * connection, or an import, is caught by the index as above.
 */
export class TipCache {
  private readonly tips = new Map<string, StreamTip>();
  private stamp: number | undefined;

  constructor(private readonly maxStreams: number) {}

  /** At the start of a write transaction, with the stamp read inside it. */
  validate(stamp: number): void {
    if (stamp !== this.stamp) this.forget();
  }

  get(streamId: string): StreamTip | undefined {
    return this.tips.get(streamId);
  }

  /** A tip written in the current transaction; kept only if `committed` follows. */
  set(streamId: string, tip: StreamTip): void {
    this.tips.delete(streamId);
    this.tips.set(streamId, tip);
    if (this.tips.size <= this.maxStreams) return;
    // Map keeps insertion order, and a set moves its stream to the end: drop the longest unused.
    const oldest = this.tips.keys().next();
    if (oldest.done !== true) this.tips.delete(oldest.value);
  }

  /** The transaction that set the tips committed; `stamp` was read inside it. */
  committed(stamp: number): void {
    this.stamp = stamp;
  }

  forget(): void {
    this.tips.clear();
    this.stamp = undefined;
  }
}
