/**
 * One FIFO per key: work for the same stream runs one at a time, in the order it arrived; work for
 * different streams runs concurrently. A key's entry lives only while work for it is queued or
 * running, so memory stays bounded by the number of busy streams, not the number ever seen.
 */
export class StreamQueue {
  /** The settled tail of each busy key's chain: the next work for that key starts after it. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    // An idle key starts at once (no extra turn of the event loop for the common, uncontended case).
    const result = previous === undefined ? work() : previous.then(work);
    const tail = result.then(settled, settled);
    this.tails.set(key, tail);
    void tail.then(() => {
      // Only the last work queued for a key removes it; a later one has replaced the tail already.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}

function settled(): void {
  // A failure belongs to its own caller; the next work in the queue runs either way.
}
