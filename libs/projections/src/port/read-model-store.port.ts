import type { LogIdentity } from '@app/event-store';
import type { ReadModelChanges, ReadModelReader } from '../newsroom.projection';
import type { Awaitable, ReadModelQueries } from '../queries/read-model-queries';

/**
 * What the projection runner and the query handlers need from a read-model store, whichever
 * database holds it. Every call is awaited by its callers (ReadModelQueries, in queries/): a
 * synchronous store (SQLite, through better-sqlite3) answers with plain values, an asynchronous
 * one (PostgreSQL) with Promises, and the callers do not care which.
 */

/** The projector's reader with every method asynchronous, under the same names. */
export type AsyncReadModelReader = {
  [K in keyof ReadModelReader]: (
    ...args: Parameters<ReadModelReader[K]>
  ) => Promise<Awaited<ReturnType<ReadModelReader[K]>>>;
};

/** What the runner reads and resets, whatever the store. */
export interface ReadModelStoreBase extends ReadModelQueries {
  checkpoint(projection: string): Awaitable<bigint>;
  /** The projection code version that built them (see PROJECTION_VERSION); undefined when unknown. */
  builtBy(): Awaitable<string | undefined>;
  markBuiltBy(version: string): Awaitable<void>;
  /** The log they were built from; undefined when never recorded (empty, or built before it was). */
  builtFrom(): Awaitable<LogIdentity | undefined>;
  /** Drops every read model, checkpoint and record of provenance; the runner then replays the log. */
  reset(): Awaitable<void>;
}

/**
 * SQLite: reads are synchronous, so `projectEvent` reads the store itself, and a batch, its
 * checkpoint and the log identity commit in one (synchronous) transaction.
 */
export interface SyncReadModelStore
  extends Omit<ReadModelStoreBase, keyof ReadModelReader | 'checkpoint'>, ReadModelReader {
  readonly synchronous: true;
  checkpoint(projection: string): bigint;
  transaction<T>(work: () => T): T;
  apply(changes: ReadModelChanges): void;
  saveCheckpoint(projection: string, position: bigint): void;
  recordLog(identity: LogIdentity): void;
  /** Before a build from an empty checkpoint: load without the indexes only queries need. */
  beginLoad(): void;
  /** After any run: finishes a load under way (its indexes, then the built-by mark); else nothing. */
  endLoad(): void;
}

/**
 * PostgreSQL: the runner projects against an in-memory working set and reads what it misses from
 * the batch's transaction (`AsyncReadModelBatch`), then writes the batch, its checkpoint and the
 * log identity in that one transaction.
 */
export interface AsyncReadModelStore extends ReadModelStoreBase {
  readonly synchronous: false;
  batch<T>(work: (batch: AsyncReadModelBatch) => Promise<T>): Promise<T>;
}

/** One transaction of an asynchronous store: reads see its own earlier writes. */
export interface AsyncReadModelBatch extends AsyncReadModelReader {
  /**
   * First in every batch: locks the checkpoint row and throws CheckpointMovedError unless it is
   * still `expected`, so a second projector for a moment (a lease changing hands) never applies
   * events twice or moves the checkpoint back.
   */
  claimCheckpoint(projection: string, expected: bigint): Promise<void>;
  /** Writes these changes, in order (a later change to the same row wins). */
  apply(changes: readonly ReadModelChanges[]): Promise<void>;
  saveCheckpoint(projection: string, position: bigint): Promise<void>;
  recordLog(identity: LogIdentity): Promise<void>;
}

export type ReadModelStore = SyncReadModelStore | AsyncReadModelStore;

/** Another projector committed since this batch began: resume from `actual`. */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(`the checkpoint moved from ${expected} to ${actual} under this projector`);
  }
}
