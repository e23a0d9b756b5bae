import type { EventStore, StoredEvent } from '../port/event-store.port';

export interface FollowLogOptions {
  /** Exclusive lower bound: the position the consumer has already handled (0n = from the start). */
  after: bigint;
  /** Ends the iteration (at the next batch boundary, or at once while waiting). */
  signal?: AbortSignal;
  /** Events per `readAll` page; default 500. */
  batchSize?: number;
  /**
   * A look at the log this often even without a signal (a missed NOTIFY, an import from the CLI):
   * `onAppended` is a wake-up, the log is the truth. Default 2 s.
   */
  pollMs?: number;
}

const DEFAULT_BATCH = 500;
const DEFAULT_POLL_MS = 2_000;

/**
 * Follows the global log from a position, forever: yields every committed event exactly once, in
 * position order, in batches, then waits for the next append (or the poll). The consumer's own
 * checkpoint is the `position` of the last event it handled; resuming from it with `after` gives
 * neither a gap nor a duplicate, across restarts and replicas, because positions are dense and
 * commit-ordered on every store.
 *
 * Back-pressure is the consumer's: the next page is read only when it asks for the next batch,
 * so a slow consumer costs no memory here.
 */
export async function* followLog(
  store: EventStore,
  options: FollowLogOptions,
): AsyncGenerator<StoredEvent[], void, undefined> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const signal = options.signal;
  let after = options.after;
  const wake = new Wake();
  const unsubscribe = store.onAppended((head) => {
    if (head > after) wake.ring();
  });
  const onAbort = () => wake.ring();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      // Arm before reading: an append that lands while the page is read still wakes the wait.
      wake.arm();
      const events = await store.readAll({ after, limit: batchSize });
      if (signal?.aborted) return;
      if (events.length > 0) {
        after = events[events.length - 1]!.position;
        yield events;
        continue;
      }
      await wake.wait(pollMs);
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
    wake.cancel();
  }
}

/** A one-shot wake-up that remembers a ring that came before the wait. */
class Wake {
  private rung = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  arm(): void {
    this.rung = false;
  }

  ring(): void {
    this.rung = true;
    this.release();
  }

  wait(ms: number): Promise<void> {
    if (this.rung) return Promise.resolve();
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.release(), ms);
      this.timer.unref();
    });
  }

  cancel(): void {
    this.release();
  }

  private release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.();
  }
}
