import {
  END,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';

/*
 * Other processes' appends, for `onAppended`: a catch-up subscription to `$all` with the server-side
 * filter for our streams. It starts at the end of `$all` (earlier events are found by the readers
 * from their own checkpoints: a signal only says "read again") and remembers the last `$all`
 * position it has seen, from events and from the filter's checkpoints, so that after a dropped
 * connection it resubscribes from there and misses nothing in between.
 */

export interface SignalSource {
  /** Opens the filtered subscription from a position (END the first time). */
  subscribe(from: ReadPosition, onCheckpoint: (position: Position) => void): AllStreamSubscription;
  /** One event of our streams, in `$all` order. */
  onEvent(resolved: AllStreamResolvedEvent): void;
  /** A dropped subscription (it is restarted after `retryDelayMs`). */
  onError(error: Error): void;
  retryDelayMs?: number;
}

export class AppendedSignals {
  private subscription: AllStreamSubscription | undefined;
  private checkpoint: ReadPosition = END;
  private retry: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly source: SignalSource) {}

  /** The `$all` position to resume from (END until something was seen). */
  get resumeFrom(): ReadPosition {
    return this.checkpoint;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
  }

  private open(): void {
    const subscription = this.source.subscribe(this.checkpoint, (position) => this.advance(position));
    this.subscription = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (this.subscription !== subscription) return;
      const position = resolved.event?.position;
      if (position !== undefined) this.advance(position);
      this.source.onEvent(resolved);
    });
    subscription.on('error', (error: Error) => {
      if (this.subscription !== subscription || !this.running) return;
      this.subscription = undefined;
      this.source.onError(error);
      // Resubscribe from the checkpoint: a signal source that dies silently would leave other
      // replicas' writes visible only to pollers.
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.running) this.open();
      }, this.source.retryDelayMs ?? 1000);
      this.retry.unref();
    });
  }

  private advance(position: Position): void {
    const current = this.checkpoint;
    if (current === END || current === 'start' || position.commit > current.commit)
      this.checkpoint = position;
    else if (position.commit === current.commit && position.prepare > current.prepare)
      this.checkpoint = position;
  }
}
