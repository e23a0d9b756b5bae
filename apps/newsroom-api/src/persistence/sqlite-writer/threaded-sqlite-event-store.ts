import type {
  AppendResult,
  Database,
  EventStore,
  ExpectedVersion,
  LogIdentity,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '@app/event-store';
import { EventStoreClosedError, SqliteEventStore, systemClock } from '@app/event-store';
import { WriterThread } from './writer-thread';
import type { IdempotencyCall } from './writer-protocol';

export interface ThreadedStoreLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The SQLite event store with its writes on a thread of their own (docs/decisions/0025). Appends go
 * to the writer thread, which runs the unchanged SqliteEventStore (group commit, one fsync per
 * batch) and, after each commit, the projection into the read models; reads run here, on the main
 * thread's connection to the same file, which sees every transaction the writer has committed
 * (WAL). `onAppended` fires once per group commit, before the appends of that batch resolve, as
 * on the store itself; `onProjected` says how far the writer has projected.
 */
export class ThreadedSqliteEventStore implements EventStore {
  /** An embedded file: one process writes it (its writer thread). */
  readonly singleProcess = true;
  private readonly reader: SqliteEventStore;
  private readonly appended = new Set<(head: bigint) => void>();
  private readonly projected = new Set<(position: bigint) => void>();
  private writer: WriterThread | undefined;
  private closed = false;
  /** How far the writer has projected, as it last said. */
  private projectedTo = 0n;
  private readonly waiters = new ProjectionWaiters();

  constructor(
    db: Database,
    private readonly path: string,
    private readonly logger: ThreadedStoreLogger,
  ) {
    this.reader = new SqliteEventStore(db, systemClock);
  }

  /** Creates the tables here (before the writer opens the file), then starts the writer. */
  migrate(): void {
    this.reader.migrate();
  }

  /**
   * Starts the writer thread; resolves with the read models' position once it has brought them up
   * to date (a rebuild, when the projection code changed, runs there).
   */
  async start(): Promise<bigint> {
    if (this.writer) return this.writer.ready();
    this.writer = new WriterThread(this.path, {
      appended: (head) => notify(this.appended, head, this.logger),
      projected: (position) => this.onWriterProjected(position),
      log: (level, message) => this.logger[level](message),
    });
    const projected = await this.writer.ready();
    this.onWriterProjected(projected);
    return projected;
  }

  /**
   * Resolves true once the writer has projected `position` (said so in a message: no query, no
   * timer per write), false after `timeoutMs`.
   */
  waitForProjection(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.projectedTo >= position) return Promise.resolve(true);
    return this.waiters.add(position, timeoutMs);
  }

  private onWriterProjected(position: bigint): void {
    if (position > this.projectedTo) this.projectedTo = position;
    this.waiters.reached(this.projectedTo);
    notify(this.projected, position, this.logger);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    if (this.writer === undefined)
      return Promise.reject(new Error('the SQLite writer thread is not started'));
    return this.writer.append(streamId, events, expected);
  }

  /** An IdempotencyStore method, run by the writer on its connection (ThreadedIdempotencyStore). */
  idempotency<T>(call: IdempotencyCall): Promise<T> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    if (this.writer === undefined)
      return Promise.reject(new Error('the SQLite writer thread is not started'));
    return this.writer.idempotency<T>(call);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.reader.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.reader.readAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.reader.headPosition();
  }

  identity(): Promise<LogIdentity> {
    return this.reader.identity();
  }

  positionAt(recordedAt: string): Promise<bigint> {
    return this.reader.positionAt(recordedAt);
  }

  onAppended(listener: (head: bigint) => void): () => void {
    return subscribe(this.appended, listener);
  }

  /** The writer committed the read models up to `position` (with their checkpoint). */
  onProjected(listener: (position: bigint) => void): () => void {
    return subscribe(this.projected, listener);
  }

  /** Asks the writer to project what others appended to the file (the daemon's slow poll). */
  requestCatchUp(): void {
    this.writer?.catchUp();
  }

  /** Appends accepted before close() are written and projected; then the writer and reads stop. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer?.close();
    this.appended.clear();
    this.projected.clear();
    this.waiters.reached(this.projectedTo);
    this.waiters.expireAll();
    await this.reader.close();
  }
}

function subscribe<T>(set: Set<(value: T) => void>, listener: (value: T) => void): () => void {
  // Wrapped: subscribing one function twice gives two subscriptions, as on the stores.
  const entry = (value: T): void => listener(value);
  set.add(entry);
  return () => {
    set.delete(entry);
  };
}

/** A listener that throws must not stop the others, nor turn a durable append into a failure. */
function notify<T>(set: Set<(value: T) => void>, value: T, logger: ThreadedStoreLogger): void {
  for (const listener of [...set]) {
    try {
      listener(value);
    } catch (error) {
      logger.error(
        `event store listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
}

/** Writes waiting for their projection: resolved by position, expired by one shared sweep. */
interface Waiter {
  position: bigint;
  deadline: number;
  resolve(reached: boolean): void;
}

class ProjectionWaiters {
  private waiting: Waiter[] = [];
  private sweep: NodeJS.Timeout | undefined;

  add(position: bigint, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.waiting.push({ position, deadline: Date.now() + timeoutMs, resolve });
      this.sweep ??= setInterval(() => this.expire(Date.now()), SWEEP_MS).unref();
    });
  }

  reached(position: bigint): void {
    if (this.waiting.length === 0) return;
    this.settle((waiter) => waiter.position <= position, true);
  }

  expireAll(): void {
    this.expire(Number.POSITIVE_INFINITY);
  }

  private expire(now: number): void {
    this.settle((waiter) => waiter.deadline <= now, false);
  }

  /** Answers the waiters `done` picks with `reached`; keeps the others. */
  private settle(done: (waiter: Waiter) => boolean, reached: boolean): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiting) {
      if (done(waiter)) waiter.resolve(reached);
      else still.push(waiter);
    }
    this.waiting = still;
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.waiting.length > 0 || this.sweep === undefined) return;
    clearInterval(this.sweep);
    this.sweep = undefined;
  }
}

/** How often waits past their deadline are let go (a wait lasts at most this much longer). */
const SWEEP_MS = 250;
