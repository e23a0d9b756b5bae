/**
 * Group commit: appends that arrive while the store is busy, or in the same turn of the event loop,
 * are written by one durable transaction (one fsync / COMMIT for all of them), each still checked
 * on its own and failing alone. Adapter-independent: the adapter supplies `commit`, which writes a
 * batch and says, per item, what became of it.
 *
 * Latency of a lone append: when nothing is in flight the batch is started on the next turn
 * (`setImmediate` by default), so a lone append waits a few microseconds, not for company; only
 * appends that queued while a batch was being written (or in the same turn) share the next one.
 * At most one batch is in flight per queue: positions are assigned in commit order anyway (one
 * writer per log), so a second concurrent batch would only wait for the first.
 */

/** What became of one item of a batch: its result, or the error that it alone failed with. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** What a store's user may tune. */
export interface GroupCommitTuning {
  /**
   * Starts a batch when the queue was idle. Default `setImmediate` (appends arriving from other
   * I/O callbacks of the same event-loop turn join); `queueMicrotask` starts sooner but gathers
   * only what the current task queues.
   */
  schedule?: (flush: () => void) => void;
  /** A batch stops growing past this many appends (at least one is always taken). Default 1000. */
  maxItems?: number;
  /** ... or past this many events; a bigger single append still goes alone. Default 10 000. */
  maxWeight?: number;
}

export interface GroupCommitOptions<T> extends GroupCommitTuning {
  /** An item's weight against `maxWeight` (events per append). Default 1. */
  weigh?: (item: T) => number;
}

interface Entry<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<T, R> {
  private queue: Entry<T, R>[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private readonly schedule: (flush: () => void) => void;
  private readonly maxItems: number;
  private readonly maxWeight: number;
  private readonly weigh: (item: T) => number;

  /**
   * `commit` writes the items atomically as far as the log is concerned: the returned outcomes are
   * in item order, and an item reported ok is durable when the promise resolves. If `commit`
   * throws, the whole batch failed (nothing of it is stored, or its outcome is unknown).
   * `afterCommit` runs once per batch, after commit and before the callers' promises settle.
   */
  constructor(
    private readonly commit: (items: readonly T[]) => Promise<Outcome<R>[]> | Outcome<R>[],
    private readonly afterCommit: (outcomes: readonly Outcome<R>[]) => void = () => undefined,
    options: GroupCommitOptions<T> = {},
  ) {
    this.schedule = options.schedule ?? ((flush) => setImmediate(flush));
    this.maxItems = options.maxItems ?? 1000;
    this.maxWeight = options.maxWeight ?? 10_000;
    this.weigh = options.weigh ?? (() => 1);
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything submitted so far has been committed or failed. */
  async drain(): Promise<void> {
    while (this.flushing !== undefined || this.scheduled || this.queue.length > 0) {
      if (this.flushing !== undefined) await this.flushing;
      else await new Promise<void>((resolve) => this.schedule(resolve));
    }
  }

  private kick(): void {
    if (this.flushing !== undefined || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      // Whatever queued while this batch was in flight goes next (kick again once it is done).
      // Through `schedule`, not straight away: a synchronous store would otherwise never yield.
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        this.kick();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return;
    let outcomes: Outcome<R>[];
    try {
      outcomes = await this.commit(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    try {
      this.afterCommit(outcomes);
    } catch {
      // The batch is durable: its callers must still learn so (the adapters' hook reports its own
      // listeners' failures), and a flush must never reject, nobody awaits it.
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) entry.reject(new Error('group commit: no outcome for an item'));
      else if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }

  private take(): Entry<T, R>[] {
    let weight = 0;
    let count = 0;
    while (count < this.queue.length && count < this.maxItems) {
      const entry = this.queue[count];
      if (entry === undefined) break;
      const next = this.weigh(entry.item);
      if (count > 0 && weight + next > this.maxWeight) break;
      weight += next;
      count += 1;
    }
    return this.queue.splice(0, count);
  }
}
