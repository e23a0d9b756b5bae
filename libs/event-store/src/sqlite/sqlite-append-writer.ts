import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type AppendResult,
  type StoredEvent,
} from '../port/event-store.port';
import {
  EMPTY_STREAM,
  assertExpectedVersion,
  chainEvents,
  dataTextOf,
  type PendingEvent,
  type StreamTip,
} from '../core/append-plan';
import type { AppendRequest } from '../core/batch-plan';
import type { Outcome } from '../core/group-commit';
import type { Database, Statement, Transaction } from './sqlite-database';
import { translateConstraint, type Statements } from './sqlite-statements';
import { TipCache } from './sqlite-tip-cache';

/** Streams whose tips a store keeps between group commits (a tip is ~150 bytes). */
const CACHED_TIPS = 10_000;

/**
 * An insert of the fast path failed (a duplicate event id, in practice): the store rolls the whole
 * transaction back and writes the batch again with `writeCarefully`. Nothing was committed.
 */
export class RetryCarefully extends Error {
  constructor(override readonly cause: unknown) {
    super('an insert of the group commit failed: write the batch again append by append', { cause });
    this.name = 'RetryCarefully';
  }
}

/**
 * Writes one group commit's appends inside the store's BEGIN IMMEDIATE transaction (decision 0005),
 * each checked against its own expected version and failing alone, positions dense and in order.
 *
 * The common case pays for nothing it does not need (decision 0023): `writeFast` takes each
 * append's tip (from the table, or as this store left it: decision 0035) and, when the version matches, inserts straight away (the UNIQUE index on event_id
 * is the duplicate check: no look-up per event); no stream table to update (decision 0028); no savepoints,
 * whose sub-journal would copy every page the batch touches. A version conflict is decided without
 * writing anything (its ids are looked up then, so a retry of a committed append still learns
 * DuplicateEventError, as before). When an insert throws, `RetryCarefully` makes the store roll the
 * transaction back and call `writeCarefully`: a savepoint and the look-ups per append, as before.
 */
export class SqliteAppendWriter {
  /** A nested transaction, so a savepoint inside the batch: a failing append rolls back alone. */
  private readonly appendOne: Transaction<(request: AppendRequest, recordedAt: string) => AppendResult>;
  private readonly tips = new TipCache(CACHED_TIPS);
  /** Changes when another connection commits (TipCache). */
  private readonly dataVersion: Statement<[], number>;

  constructor(
    private readonly db: Database,
    private readonly sql: () => Statements,
  ) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.appendOne = db.transaction((request: AppendRequest, recordedAt: string) =>
      this.writeOneCarefully(request, recordedAt),
    );
  }

  readTip(streamId: string): StreamTip {
    const row = this.sql().streamTip.get(streamId);
    return row === undefined ? EMPTY_STREAM : { version: Number(row.version), lastHash: row.last_hash };
  }

  /**
   * Each append's tip (the one this store committed last, TipCache, or else the stream's last row),
   * then its inserts; the tip it leaves is kept, so an append later in the batch sees what an
   * earlier one wrote. Throws RetryCarefully when an insert fails or a cached tip proves stale (the
   * transaction must then be rolled back and the store must `forgetTips`); for a lone append a
   * duplicate id is thrown as DuplicateEventError instead: its failure fails only itself.
   */
  writeFast(requests: readonly AppendRequest[], recordedAt: string): Outcome<AppendResult>[] {
    // Read once: no other connection can commit while this transaction holds the write lock, and
    // this connection's own commits do not move it, so it is also the stamp after COMMIT.
    const stamp = this.stamp();
    this.tips.validate(stamp);
    const outcomes = requests.map((request): Outcome<AppendResult> => {
      const { streamId, expected } = request;
      const tip = this.tips.get(streamId) ?? this.readTip(streamId);
      if (expected !== 'any' && expected !== tip.version) {
        // Confirmed against the table: a conflict is reported only as the log has it.
        const stored = this.readTip(streamId);
        if (expected !== stored.version) return { ok: false, error: this.conflict(request, stored) };
        this.tips.forget();
        throw new RetryCarefully(new Error(`a stale cached tip for ${streamId}`));
      }
      try {
        const result = this.insertAll(request, tip, recordedAt);
        this.tips.set(streamId, tipOf(result));
        return { ok: true, value: result };
      } catch (error) {
        // A lone append's duplicate id is its own failure; anything else (a version that a stale
        // cached tip gave, an I/O error) is tried again carefully, tips read from the table.
        throw requests.length === 1 && error instanceof DuplicateEventError
          ? error
          : new RetryCarefully(error);
      }
    });
    this.tips.committed(stamp);
    return outcomes;
  }

  /** After a batch that did not commit as writeFast wrote it: its cached tips may be wrong. */
  forgetTips(): void {
    this.tips.forget();
  }

  /** Changes when another connection commits (TipCache); read inside the write lock. */
  private stamp(): number {
    return this.dataVersion.get() ?? 0;
  }

  /** A version conflict, unless the append's events are already stored: then a retry learns so. */
  private conflict({ streamId, events, expected }: AppendRequest, tip: StreamTip): Error {
    const { eventIdExists } = this.sql();
    for (const { eventId } of events) {
      if (eventIdExists.get(eventId) !== undefined) return new DuplicateEventError(eventId);
    }
    return new WrongExpectedVersionError(streamId, expected, tip.version);
  }

  /** Each append in a savepoint of its own, its ids looked up first: a failing one rolls back alone. */
  writeCarefully(requests: readonly AppendRequest[], recordedAt: string): Outcome<AppendResult>[] {
    return requests.map((request): Outcome<AppendResult> => {
      try {
        return { ok: true, value: this.appendOne(request, recordedAt) };
      } catch (error) {
        // A savepoint's own failure was rolled back to the savepoint; but if SQLite itself ended
        // the transaction (an I/O error), what follows would autocommit: fail the whole batch.
        if (!this.db.inTransaction) throw error;
        return { ok: false, error };
      }
    });
  }

  /** One append, in its savepoint: any throw rolls back this append only. */
  private writeOneCarefully(request: AppendRequest, recordedAt: string): AppendResult {
    const { streamId, events, expected } = request;
    const sql = this.sql();
    // Duplicates before the version check: a retry of an append that did commit then learns that
    // its events are stored, rather than seeing a version conflict and deciding again.
    for (const { eventId } of events) {
      if (sql.eventIdExists.get(eventId) !== undefined) throw new DuplicateEventError(eventId);
    }
    const tip = this.readTip(streamId);
    assertExpectedVersion(streamId, expected, tip);
    return this.insertAll(request, tip, recordedAt);
  }

  private insertAll({ streamId, events }: AppendRequest, tip: StreamTip, recordedAt: string): AppendResult {
    const stored = chainEvents(streamId, events, tip, recordedAt).map((event, index) =>
      this.insert(event, dataTextOf(events, index), contextTextOf(events, index)),
    );
    const last = stored.at(-1);
    if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
    return { streamVersion: last.streamVersion, position: last.position, events: stored };
  }

  /** `dataText`: the canonical text of the event's data (CheckedEvent), stored as it was hashed. */
  private insert(event: PendingEvent, dataText: string, contextText: string): StoredEvent {
    const { metadata } = event;
    try {
      const { lastInsertRowid } = this.sql().insertEvent.run(
        event.eventId,
        event.streamId,
        event.streamVersion,
        event.type,
        event.schemaVersion,
        dataText,
        // Only the caller's context: recordedAt and the hashes have their own columns.
        contextText,
        metadata.hash,
        metadata.prevHash,
        metadata.recordedAt,
      );
      return { ...event, position: BigInt(lastInsertRowid) };
    } catch (error) {
      throw translateConstraint(error, event);
    }
  }
}

/** The tip an append leaves its stream at: its last event. */
function tipOf({ events }: AppendResult): StreamTip {
  const last = events.at(-1);
  if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
  return { version: last.streamVersion, lastHash: last.metadata.hash };
}

/** The caller's context as stored: the checked context holds exactly its keys, in order. */
function contextTextOf(events: AppendRequest['events'], index: number): string {
  return JSON.stringify(events[index]?.context);
}
