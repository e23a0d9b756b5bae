/**
 * Messages to the other thread, posted as one array per turn rather than one `postMessage` each.
 *
 * Under wrk a message cost both threads more than its contents: the sender's serialisation and
 * wake-up, and on the receiving side a MessageEvent dispatched through Node's EventTarget, once
 * per append and once per reply (~7% of the main thread and ~4% of the writer's in the profile of
 * docs/decisions/0027). Gathered per turn, a group commit's worth of appends crosses as one
 * message and its replies as one or two. Order is kept: the batches go out in order, each in the
 * order its messages were pushed, and the receiver handles them one by one (`unbatch`).
 */
export class MessageOutbox<T> {
  private queued: T[] = [];
  private scheduled = false;

  /**
   * `post` sends one batch; `schedule` runs the flush later in this turn or the next (the main
   * thread waits for the check phase, so the appends of every request read in one poll go
   * together; the writer flushes after the microtasks of the commit that resolved its appends).
   */
  constructor(
    private readonly post: (batch: T[]) => void,
    private readonly schedule: (flush: () => void) => void,
  ) {}

  push(message: T): void {
    this.queued.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Sends what is queued now (a later scheduled flush then finds nothing, or what came since). */
  flush(): void {
    this.scheduled = false;
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.post(batch);
  }
}

/** The receiving end: each message of a batch, in order. */
export function unbatch<T>(handle: (message: T) => void): (batch: T[]) => void {
  return (batch) => {
    for (const message of batch) handle(message);
  };
}
