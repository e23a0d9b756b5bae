import {
  type AppendResult,
  type Clock,
  type EventImporter,
  type EventStore,
  type ExpectedVersion,
  type LogIdentity,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../port/event-store.port';
import { checkAppend, nextRecordedAt } from '../core/append-plan';
import { AppendedListeners, type EventStoreOptions } from '../core/appended-listeners';
import type { AppendRequest } from '../core/batch-plan';
import { GroupCommitQueue, type Outcome } from '../core/group-commit';
import { asPromise } from '../core/as-promise';
import { EventStoreClosedError } from '../core/errors';
import { checkImport, contextOf } from '../core/import-plan';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';
import type { Database, Transaction } from './sqlite-database';
import { RetryCarefully, SqliteAppendWriter } from './sqlite-append-writer';
import { migrateEventStore } from './sqlite-schema';
import {
  MAX_POSITION,
  clampPosition,
  prepareOrExplain,
  prepareStatements,
  toStoredEvent,
  type Statements,
} from './sqlite-statements';

export interface SqliteEventStoreOptions extends EventStoreOptions {
  /**
   * Close the database in `close()`. Off by default: the connection is shared with the read
   * models, and whoever opened it closes it.
   */
  ownsDatabase?: boolean;
}

/**
 * The event store on SQLite (better-sqlite3). Holds no stream state in memory: every append reads
 * the tip inside the write transaction, so several connections or processes on one file stay
 * consistent.
 *
 * Group commit (docs/decisions/0005): better-sqlite3 is synchronous, so appends called in one turn
 * of the event loop are queued and written on the next (`setImmediate`) by ONE BEGIN IMMEDIATE
 * transaction: one fsync for all of them. Each append is checked in order against its stream's tip
 * as the appends before it in the batch left it, and fails alone (SqliteAppendWriter: decision
 * 0023). Positions stay dense (AUTOINCREMENT rowids assigned in the transaction, and a rolled-back
 * savepoint gives its rowids back) and commit-ordered.
 */
export class SqliteEventStore implements EventStore, EventImporter {
  /** An embedded file: one process writes it (docs/scaling.md; replicas share PostgreSQL). */
  readonly singleProcess = true;
  private statements: Statements | undefined;
  private readonly listeners: AppendedListeners;
  private readonly ownsDatabase: boolean;
  private closed = false;
  private readonly writer: SqliteAppendWriter;
  private readonly appendBatch: Transaction<(requests: readonly AppendRequest[]) => Outcome<AppendResult>[]>;
  private readonly appendBatchCarefully: Transaction<
    (requests: readonly AppendRequest[]) => Outcome<AppendResult>[]
  >;
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly importTransaction: Transaction<(events: readonly StoredEvent[]) => void>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    options: SqliteEventStoreOptions = {},
  ) {
    this.listeners = new AppendedListeners(options.onListenerError);
    this.ownsDatabase = options.ownsDatabase ?? false;
    this.writer = new SqliteAppendWriter(db, () => this.prepared());
    this.appendBatch = db.transaction((requests: readonly AppendRequest[]) =>
      this.writer.writeFast(requests, this.recordedAt()),
    );
    this.appendBatchCarefully = db.transaction((requests: readonly AppendRequest[]) =>
      this.writer.writeCarefully(requests, this.recordedAt()),
    );
    this.queue = new GroupCommitQueue(
      (requests) => this.commitBatch(requests),
      (outcomes) => this.announce(outcomes),
      { ...options.groupCommit, weigh: (request) => request.events.length },
    );
    this.importTransaction = db.transaction((events: readonly StoredEvent[]) => this.writeRecorded(events));
  }

  /** Creates or upgrades the tables; idempotent. Call it at startup, before the first append or read. */
  migrate(): void {
    this.assertOpen();
    migrateEventStore(this.db);
    this.statements = prepareStatements(this.db);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    const checked = checkAppend(streamId, events, expected, 'stored-text');
    this.assertNoOuterTransaction('append');
    return this.queue.submit({ streamId, events: checked, expected });
  }

  /** EventImporter: restores recorded events with their own positions, ids, times and hashes. */
  importRecorded(events: readonly StoredEvent[]): Promise<void> {
    return asPromise(() => {
      this.assertOpen();
      if (events.length === 0) return;
      this.assertNoOuterTransaction('importRecorded');
      // Written behind the tip cache's back; it would only cost a careful retry, but why pay it.
      this.writer.forgetTips();
      this.importTransaction.immediate(events);
      const last = events.at(-1);
      if (last !== undefined) this.listeners.notify(last.position);
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return asPromise(() => {
      const from = fromVersionOf(options);
      if (options.toPosition === undefined) {
        return this.sql().readStream.all({ streamId, to: MAX_POSITION, from }).map(toStoredEvent);
      }
      // A cut (historical reads): a stream's positions grow with its versions (each append takes
      // the next version and the next positions), so the first row past the cut ends the read.
      // Filtering in SQL would walk the stream's index to its end: ~200 µs on a 5,000-event claim.
      const to = toPosition(options.toPosition, 'toPosition');
      const events: StoredEvent[] = [];
      for (const row of this.sql().readStreamFrom.iterate({ streamId, from })) {
        if (row.position > to) break;
        events.push(toStoredEvent(row));
      }
      return events;
    });
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return asPromise(() => {
      const { after, to, limit } = pageRequest(options);
      return this.sql()
        .readAll.all({ after: clampPosition(after), to: clampPosition(to ?? MAX_POSITION), limit })
        .map(toStoredEvent);
    });
  }

  headPosition(): Promise<bigint> {
    return asPromise(() => this.sql().head.get() ?? 0n);
  }

  identity(): Promise<LogIdentity> {
    return asPromise(() => {
      const sql = this.sql();
      const logId = sql.logId.get();
      if (logId === undefined) throw new Error('the event store has no log identity: run migrate()');
      return { logId, firstEventHash: sql.firstHash.get() ?? null };
    });
  }

  positionAt(recordedAt: string): Promise<bigint> {
    return asPromise(() => this.sql().positionAt.get({ instant: normalizeInstant(recordedAt) }) ?? 0n);
  }

  onAppended(listener: (head: bigint) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Appends accepted before close() are still written; later calls fail with EventStoreClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    this.listeners.clear();
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  /**
   * One group commit. IMMEDIATE takes the write lock before any tip is read, so two connections
   * cannot both see the same version (a DEFERRED read-then-write would fail with SQLITE_BUSY, not
   * wait). A throw here (disk full, lock timeout) fails every append of the batch: none is stored.
   */
  private commitBatch(requests: readonly AppendRequest[]): Outcome<AppendResult>[] {
    this.assertNoOuterTransaction('append');
    try {
      return this.appendBatch.immediate(requests);
    } catch (error) {
      // Rolled back, nothing of it committed: again, each append on its own (SqliteAppendWriter).
      this.writer.forgetTips();
      if (!(error instanceof RetryCarefully)) throw error;
      return this.appendBatchCarefully.immediate(requests);
    }
  }

  /** One clock reading per batch: every append of a commit is recorded at the same instant. */
  private recordedAt(): string {
    return nextRecordedAt(this.clock, this.prepared().lastRecordedAt.get());
  }

  private announce(outcomes: readonly Outcome<AppendResult>[]): void {
    const last = outcomes.findLast((outcome) => outcome.ok);
    if (last?.ok) this.listeners.notify(last.value.position);
  }

  /**
   * Inside a caller's transaction ours would be a savepoint: listeners would hear of events that
   * may still roll back, and the write lock would not be taken before the version check.
   */
  private assertNoOuterTransaction(operation: string): void {
    if (this.db.inTransaction) {
      throw new Error(
        `SqliteEventStore.${operation} must not run inside another transaction on its connection`,
      );
    }
  }

  /** Checked inside the write lock, so the base it is checked against cannot move. */
  private writeRecorded(events: readonly StoredEvent[]): void {
    const sql = this.prepared();
    checkImport(events, {
      head: sql.head.get() ?? 0n,
      lastRecordedAt: sql.lastRecordedAt.get(),
      tip: (streamId) => this.writer.readTip(streamId),
      hasEventId: (eventId) => sql.eventIdExists.get(eventId) !== undefined,
    });
    for (const event of events) {
      const { hash, prevHash, recordedAt } = event.metadata;
      sql.insertRecorded.run({
        position: event.position,
        event_id: event.eventId,
        stream_id: event.streamId,
        stream_version: event.streamVersion,
        type: event.type,
        schema_version: event.schemaVersion,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(contextOf(event.metadata)),
        hash,
        prev_hash: prevHash,
        recorded_at: recordedAt,
      });
    }
  }

  private sql(): Statements {
    this.assertOpen();
    return this.prepared();
  }

  /** Without the open check: a batch accepted before close() is written during close(). */
  private prepared(): Statements {
    this.statements ??= prepareOrExplain(this.db);
    return this.statements;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}
