import { DuplicateEventError, type EventContext, type StoredEvent } from '../port/event-store.port';
import type { PendingEvent } from '../core/append-plan';
import type { Database } from './sqlite-database';

/** The SQL of the SQLite store and the mapping between its rows and events. */

/** An `events` row as read with safe integers on: every INTEGER column is a bigint. */
export interface EventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  stream_version: bigint;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
  hash: string;
  prev_hash: string;
  recorded_at: string;
}

export interface InsertParams {
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: string;
  prev_hash: string;
  recorded_at: string;
}

/** InsertParams in column order, for the positional insert of appends. */
export type InsertRow = [
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  hash: string,
  prevHash: string,
  recordedAt: string,
];

const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at';

/** "No upper bound" for position filters: the largest SQLite INTEGER, so the index range stays usable. */
export const MAX_POSITION = 9223372036854775807n;

/**
 * Prepared once per store, on first use (the tables must exist by then). Statements that
 * read integers use safe integers, so positions come back as bigint and never lose precision; the
 * connection default is left alone because the read models share it.
 */
export function prepareStatements(db: Database) {
  return {
    // The stream's last row, through the (stream_id, stream_version) index read backwards.
    streamTip: db
      .prepare<[string], { version: bigint; last_hash: string }>(
        `SELECT stream_version AS version, hash AS last_hash FROM events
         WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1`,
      )
      .safeIntegers(true),
    eventIdExists: db.prepare<[string], unknown>('SELECT 1 FROM events WHERE event_id = ?').pluck(),
    lastRecordedAt: db
      .prepare<[], string>('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1')
      .pluck(),
    // Positional: binding named parameters looks each one up on an object, per row of every append.
    insertEvent: db
      .prepare<[...InsertRow], never>(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .safeIntegers(true),
    insertRecorded: db
      .prepare<[InsertParams & { position: bigint }], never>(
        `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
         VALUES (@position, @event_id, @stream_id, @stream_version, @type, @schema_version, @data, @metadata, @hash, @prev_hash, @recorded_at)`,
      )
      .safeIntegers(true),
    readStream: db
      .prepare<[{ streamId: string; to: bigint; from: number }], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE stream_id = @streamId AND stream_version >= @from AND position <= @to ORDER BY stream_version`,
      )
      .safeIntegers(true),
    readStreamFrom: db
      .prepare<[{ streamId: string; from: number }], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE stream_id = @streamId AND stream_version >= @from ORDER BY stream_version`,
      )
      .safeIntegers(true),
    readAll: db
      .prepare<[{ after: bigint; to: bigint; limit: number }], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE position > @after AND position <= @to ORDER BY position LIMIT @limit`,
      )
      .safeIntegers(true),
    head: db.prepare<[], bigint | null>('SELECT MAX(position) FROM events').pluck().safeIntegers(true),
    logId: db.prepare<[], string>('SELECT log_id FROM log_identity WHERE singleton = 1').pluck(),
    firstHash: db.prepare<[], string>('SELECT hash FROM events WHERE position = 1').pluck(),
    // The last position recorded at or before @instant, 0 if none: a binary search over positions
    // in one statement (~log2(head) look-ups by rowid), since there is no recorded_at index to ask
    // (decision 0028). Sound because recorded_at never decreases with position (nextRecordedAt,
    // checkImport). Invariant: `low` is 0 or a position recorded by then, nothing at or after
    // `high` is; the probe is the first row at or after the middle (imports may leave gaps).
    positionAt: db
      .prepare<[{ instant: string }], bigint>(
        `WITH RECURSIVE search (low, high) AS (
           SELECT 0, COALESCE((SELECT MAX(position) FROM events), 0) + 1
           UNION ALL
           SELECT CASE WHEN probe.recorded_at <= @instant THEN probe.position ELSE low END,
                  CASE WHEN probe.recorded_at <= @instant THEN high ELSE low + (high - low) / 2 END
           FROM search LEFT JOIN events AS probe ON probe.position = (
             SELECT position FROM events WHERE position >= low + (high - low) / 2 AND position < high
             ORDER BY position LIMIT 1)
           WHERE high - low > 1
         )
         SELECT low FROM search WHERE high - low <= 1`,
      )
      .pluck()
      .safeIntegers(true),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Lets a store use tables migrated by another instance or process, and explains when there are none. */
export function prepareOrExplain(db: Database): Statements {
  try {
    return prepareStatements(db);
  } catch (error) {
    if (isSqliteError(error) && /no such table/.test(error.message)) {
      throw new Error('SqliteEventStore: the tables do not exist; call migrate() first', { cause: error });
    }
    throw error;
  }
}

/**
 * The pre-checks make this unreachable in practice; kept as a backstop so that a unique-constraint
 * race (another writer ignoring the protocol) still surfaces as the port's error.
 */
export function translateConstraint(error: unknown, event: PendingEvent): unknown {
  if (
    isSqliteError(error) &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.event_id')
  ) {
    return new DuplicateEventError(event.eventId);
  }
  return error;
}

/**
 * By name, not `instanceof`: the native addon keeps the SqliteError class of the first module
 * instance that loaded it, so under Jest's per-file module registries (or with two copies of the
 * package) a genuine SqliteError fails `instanceof BetterSqlite3.SqliteError`.
 */
export function isSqliteError(
  error: unknown,
): error is { name: 'SqliteError'; code: string; message: string } {
  // Not even `instanceof Error`: each Jest test file runs in its own realm with its own Error.
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SqliteError';
}

/** SQLite integers are 64-bit: out-of-range bounds mean "nothing beyond" rather than a bind error. */
export function clampPosition(position: bigint): bigint {
  if (position < 0n) return 0n;
  return position > MAX_POSITION ? MAX_POSITION : position;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  const context = JSON.parse(row.metadata) as EventContext;
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: row.position,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data) as unknown,
    metadata: { ...context, recordedAt: row.recorded_at, hash: row.hash, prevHash: row.prev_hash },
  };
}
