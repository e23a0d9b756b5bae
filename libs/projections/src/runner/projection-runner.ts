import type { ClaimEvent, SourceEvent } from '@app/claims';
import type { EventStore, LogIdentity, StoredEvent } from '@app/event-store';
import type { ProjectableEvent } from '../newsroom.projection';
import { CheckpointMovedError, type ReadModelStore } from '../port/read-model-store.port';
import { NEWSROOM_CHECKPOINT, PROJECTION_VERSION } from '../sqlite/read-model.schema';
import { applyAsyncBatch, applySyncBatch } from './apply-batch';
import { HandedEvents } from './handed-events';
import { describeLog, identityAfter, sameLog } from './log-identity';

export const NEWSROOM_PROJECTION = NEWSROOM_CHECKPOINT;
/**
 * Events per batch on an asynchronous store (PostgreSQL), whose working set loads what it misses.
 * A synchronous store (SQLite) takes larger batches: the batch folds in memory over the store and
 * writes each changed row once (see SyncWorkingSet); the working set lives for one batch only.
 */
const DEFAULT_BATCH = 500;
const DEFAULT_SYNC_BATCH = 5_000;
/** How long `waitFor` waits for another process to project a position before giving up. */
const DEFAULT_WAIT_MS = 10_000;
/** Between looks at the shared checkpoint while waiting, in case a notification is missed. */
const WAIT_POLL_MS = 50;

export type Decode = (stored: StoredEvent) => { type: string; data: unknown };

export interface ProjectionProgress {
  position: bigint;
  head: bigint;
}

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** Where the one warning line of a rebuild goes (a log swapped under the read models). */
  warn?: (message: string) => void;
  /** How long `waitFor` waits for the shared checkpoint; default 10 s. */
  waitMs?: number;
  /**
   * On a synchronous store, a run from an empty checkpoint with more than this many events to
   * project loads without the query-only indexes and creates them at its end (`beginLoad`);
   * default two batches.
   */
  loadWithoutIndexesAbove?: number;
}

/**
 * Runs the newsroom projection from its checkpoint to the head of the log. Each batch, the
 * checkpoint that records it and the identity of the log it came from commit in one transaction.
 * Runs are serialised: a call made while one is under way waits for it and then runs again, so
 * nothing appended meanwhile is left behind.
 *
 * Read models know their log: before each run the identity they were built from is compared with
 * the store's (another log id, or another first event while both are known: a fresh database, a
 * restored backup, an import) and on a mismatch they are rebuilt from the log, never served stale.
 *
 * With several processes on one store only one projects (`active`, set by whoever holds the
 * projector lease); the others read the shared checkpoint and wait on it.
 */
export class ProjectionRunner {
  private running: Promise<bigint> | undefined;
  private rerun = false;
  /** The newest checkpoint this process has seen (a synchronous store is read directly). */
  private known = 0n;
  private wakeWaiters: (() => void)[] = [];
  private readonly handed = new HandedEvents();
  /** False on a replica that does not hold the projector lease: it never writes read models. */
  active = true;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly decode: Decode,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  /** The checkpoint as last seen; `projectedPosition()` reads it afresh. */
  get position(): bigint {
    return this.readModels.synchronous ? this.readModels.checkpoint(NEWSROOM_PROJECTION) : this.known;
  }

  async projectedPosition(): Promise<bigint> {
    const position = await this.readModels.checkpoint(NEWSROOM_PROJECTION);
    this.seen(position);
    return position;
  }

  /** Another process committed read models up to `position` (a notification): wakes waiters. */
  seen(position: bigint): void {
    if (position > this.known) this.known = position;
    const waiters = this.wakeWaiters;
    this.wakeWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Projects everything committed so far, or only up to position `to` (inclusive) for a historical
   * replay into read models of their own; resolves with the checkpoint reached.
   */
  catchUp(to?: bigint): Promise<bigint> {
    if (!this.active) return this.projectedPosition();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.loop(undefined, to).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Events an append of this process just committed (its result's, in any order across the
   * appends of a group commit): the next run projects them without reading them back from the
   * log when they are exactly the next positions after its checkpoint, and reads the log
   * otherwise. Handing over is never required: whatever is not handed over is read.
   */
  handOver(events: readonly StoredEvent[]): void {
    if (this.active) this.handed.add(events);
  }

  /**
   * At start: read models built by other projection code are stale, whatever their checkpoint says;
   * rebuild them from the log. (Opening them already drops tables another version wrote; this
   * covers a version change under a running store.) Resolves true if it rebuilt. Read models of
   * another log are found and rebuilt by every run (see `checkLog`).
   */
  async ensureCurrent(onProgress?: (progress: ProjectionProgress) => void): Promise<boolean> {
    if (!this.active || (await this.readModels.builtBy()) === PROJECTION_VERSION) return false;
    await this.rebuild(onProgress);
    return true;
  }

  /**
   * Read-your-writes: resolves once the read models include `position`, whichever process
   * projects them. Throws when they do not within the wait (or, projecting here, stop moving).
   */
  async waitFor(position: bigint): Promise<void> {
    if (this.position >= position) return;
    const deadline = Date.now() + (this.options.waitMs ?? DEFAULT_WAIT_MS);
    // What was just appended here is not projected yet: wait for an announcement before reading.
    let announced = true;
    for (;;) {
      if (this.active) {
        // What this process last committed or saw, not a fresh read: the projector knows its own
        // checkpoint (one round trip less per write on PostgreSQL). A stale value only costs one
        // more turn of the loop: catchUp answers the stored checkpoint, which `seen` then keeps.
        const before = this.position;
        const reached = await this.catchUp();
        this.seen(reached);
        if (reached >= position) return;
        if (reached === before && this.active) {
          throw new Error(`projection is stuck at ${before}, below ${position}`);
        }
        continue;
      }
      // Another process projects. Its commits are announced with their checkpoint (`seen`), so the
      // shared checkpoint is read only when no announcement came within a poll (one was missed):
      // reading it at every announcement made each waiting request one round trip per batch.
      if (this.position >= position) return;
      if (!announced) {
        const reached = await this.projectedPosition();
        if (reached >= position) return;
      }
      if (Date.now() >= deadline) {
        throw new Error(`read models are at ${this.position}, below ${position}, after waiting`);
      }
      announced = await this.nextSignal(Math.min(WAIT_POLL_MS, deadline - Date.now()));
    }
  }

  /** Drops the read models and replays the log into them: all of it, or up to position `to`. */
  async rebuild(onProgress?: (progress: ProjectionProgress) => void, to?: bigint): Promise<bigint> {
    // Wait for any run under way, then hold the runner: a catch-up must not interleave a rebuild.
    while (this.running) await this.running.catch(() => undefined);
    const rebuilding = (async () => {
      await this.resetReadModels();
      return this.loop(onProgress, to);
    })();
    this.running = rebuilding.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async resetReadModels(): Promise<void> {
    await this.readModels.reset();
    await this.readModels.markBuiltBy(PROJECTION_VERSION);
    this.known = 0n;
    this.handed.clear();
  }

  /** Resolves true when woken by `seen`, false when `ms` passed first. */
  private nextSignal(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(1, ms));
      this.wakeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async loop(onProgress?: (progress: ProjectionProgress) => void, to?: bigint): Promise<bigint> {
    let { log, checkpoint } = await this.checkLog();
    const readModels = this.readModels;
    if (readModels.synchronous && checkpoint === 0n && (await this.largeBuild(to))) readModels.beginLoad();
    const limit = this.options.batchSize ?? (readModels.synchronous ? DEFAULT_SYNC_BATCH : DEFAULT_BATCH);
    do {
      this.rerun = false;
      for (;;) {
        const handed = this.handed.take(checkpoint, limit, to);
        const events =
          handed.length > 0 ? handed : await this.store.readAll({ after: checkpoint, to, limit });
        if (events.length === 0) break;
        log = identityAfter(log, events);
        try {
          checkpoint = await this.applyBatch(events, log, checkpoint);
        } catch (error) {
          // Another projector got there first (a lease changing hands): go on from where it is.
          if (!(error instanceof CheckpointMovedError)) throw error;
          checkpoint = error.actual;
          if (!this.active) break;
          continue;
        }
        this.seen(checkpoint);
        this.handed.forgetThrough(checkpoint);
        if (onProgress) {
          const head = await this.store.headPosition();
          onProgress({ position: checkpoint, head: to !== undefined && to < head ? to : head });
        }
      }
    } while (this.rerun);
    // Also finishes a load that an earlier run of this process began and did not end.
    if (readModels.synchronous) readModels.endLoad();
    return checkpoint;
  }

  private async largeBuild(to: bigint | undefined): Promise<boolean> {
    const head = await this.store.headPosition();
    const events = to !== undefined && to < head ? to : head;
    return events > BigInt(this.options.loadWithoutIndexesAbove ?? 2 * DEFAULT_SYNC_BATCH);
  }

  /**
   * Read models of another log are rebuilt, with one warning naming both logs. Read models with a
   * checkpoint but no recorded log predate the record: they are rebuilt too, once.
   */
  private async checkLog(): Promise<{ log: LogIdentity; checkpoint: bigint }> {
    const log = await this.store.identity();
    const built = await this.readModels.builtFrom();
    let checkpoint = await this.readModels.checkpoint(NEWSROOM_PROJECTION);
    const stale = built === undefined ? checkpoint > 0n : !sameLog(built, log);
    if (stale) {
      this.options.warn?.(
        `read models were built from ${describeLog(built)} but the event store holds ${describeLog(log)}: rebuilding them from the log`,
      );
      await this.resetReadModels();
      checkpoint = 0n;
    }
    if (stale || built === undefined || (built.firstEventHash === null && log.firstEventHash !== null)) {
      await this.recordLog(log);
    }
    this.seen(checkpoint);
    return { log, checkpoint };
  }

  private async recordLog(log: LogIdentity): Promise<void> {
    const readModels = this.readModels;
    if (readModels.synchronous) readModels.transaction(() => readModels.recordLog(log));
    else await readModels.batch((batch) => batch.recordLog(log));
  }

  private applyBatch(events: StoredEvent[], log: LogIdentity, from: bigint): Promise<bigint> {
    const readModels = this.readModels;
    const projectables = events.map((stored) => this.projectable(stored));
    return readModels.synchronous
      ? Promise.resolve(applySyncBatch(readModels, projectables, log))
      : applyAsyncBatch(readModels, projectables, log, from);
  }

  private projectable(stored: StoredEvent): ProjectableEvent {
    return {
      event: this.decode(stored) as ClaimEvent | SourceEvent,
      position: stored.position,
      recordedAt: stored.metadata.recordedAt,
      streamVersion: stored.streamVersion,
    };
  }
}
