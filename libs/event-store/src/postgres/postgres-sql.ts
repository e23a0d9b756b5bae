import { createHash } from 'node:crypto';
import { DatabaseError, type QueryResultRow } from 'pg';
import { DuplicateEventError, type EventContext, type StoredEvent } from '../port/event-store.port';
import { advisoryKey, quoteIdentifier } from './postgres-schema';

/** The SQL of the PostgreSQL store and the mapping between its rows and events. */

/** An `events` row as selected: BIGINT as text, never through a (possibly overridden) type parser. */
export interface EventRow extends QueryResultRow {
  position: string;
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

/** One row to write; append and import both go through the same multi-row insert. */
export interface RowToInsert {
  position: bigint;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  hash: string;
  prevHash: string;
  recordedAt: string;
}

/**
 * A row of `batchBase`: an already stored id, a stream tip, or the head; `appendEvents` answers
 * the same rows when a guess was wrong, or one 'ok' row with the head before the batch.
 */
export interface BatchBaseRow extends QueryResultRow {
  kind: 'id' | 'tip' | 'head' | 'ok';
  key: string;
  version: number | null;
  value: string | null;
}

/**
 * Selected from `events AS e`. ORDER BY must name `e.position`: a bare `position` would mean this
 * text output column and sort "10000" before "9998".
 */
const EVENT_COLUMNS =
  'e.position::text AS position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data::text AS data, e.metadata::text AS metadata, e.hash, e.prev_hash, e.recorded_at';

/** The largest BIGINT: out-of-range bounds mean "nothing beyond" rather than a bind error. */
export const MAX_POSITION = 9223372036854775807n;

const UNIQUE_VIOLATION = '23505';

/**
 * The NOTIFY channel of one log: readable where the schema name allows, a digest where
 * `events_appended_<schema>` would pass PostgreSQL's 63-byte identifier limit.
 */
export function appendChannel(schema: string): string {
  const readable = `events_appended_${schema}`;
  if (readable.length <= 63) return readable;
  return `events_appended_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/** The SQL of one store, with its schema qualified into every statement. */
export function statements(schema: string) {
  const events = `${quoteIdentifier(schema)}.events`;
  const channel = appendChannel(schema);
  return {
    schema,
    channel,
    /**
     * One round trip for BEGIN and the log-wide lock: a simple-protocol query runs its statements
     * one after another, each with its own snapshot in READ COMMITTED, so the lock is still taken
     * in a statement of its own before anything is read (see the adapter's header, (a)).
     * Generic plans for the rest of the transaction: the server would otherwise re-plan the batch
     * statements on every execution (their plans do not depend on the arrays' contents), which
     * cost a lone append ~0.15 ms; `SET LOCAL` ends with the transaction.
     */
    beginLocked: `BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; SELECT pg_advisory_xact_lock(${advisoryKey('append', schema)}::bigint)`,
    /**
     * Under the lock, in one round trip: which of the batch's ids are stored, the tip of each of its
     * streams (an index scan of one row per stream, however long the stream), and the head. Each
     * part is driven by the batch's arrays, one index probe per element: `event_id = ANY($1)` got
     * a sequential scan (and a join on the array a hash join) as generic plans.
     */
    batchBase: `
      SELECT 'id' AS kind, b.id AS key, NULL::integer AS version, NULL::text AS value
        FROM unnest($1::text[]) AS b(id)
        CROSS JOIN LATERAL (SELECT 1 FROM ${events} AS e WHERE e.event_id = b.id LIMIT 1) AS hit
      UNION ALL
      SELECT 'tip', s.id, t.stream_version, t.hash
        FROM unnest($2::text[]) AS s(id)
        CROSS JOIN LATERAL (SELECT e.stream_version, e.hash FROM ${events} AS e
          WHERE e.stream_id = s.id ORDER BY e.stream_version DESC LIMIT 1) AS t
      UNION ALL
      (SELECT 'head', e.position::text, NULL, e.recorded_at FROM ${events} AS e
        ORDER BY e.position DESC LIMIT 1)`,
    // One statement for a whole batch, whatever its size: 11 array parameters, not 11 per row.
    // The NOTIFY is queued by the same statement and delivered by PostgreSQL only at COMMIT.
    insertAndNotify: `WITH inserted AS (${insertSql(events)})
      SELECT pg_notify($12::text, $13::text)`,
    insert: insertSql(events),
    /**
     * A whole group commit in one round trip, outside any explicit transaction (so it commits in
     * the same round trip): the append lock, the check of the batch's guessed base, the insert,
     * the NOTIFY (migration 3, postgres-append-function.ts).
     */
    appendEvents: `SELECT o_kind AS kind, o_key AS key, o_version AS version, o_value AS value
      FROM ${quoteIdentifier(schema)}.append_events(${advisoryKey('append', schema)}::bigint,
        $1::text[], $2::integer[], $3::text[], $4::text[], $5::text,
        $6::text[], $7::text[], $8::integer[], $9::text[], $10::integer[], $11::json[], $12::json[],
        $13::text[], $14::text[], $15::text[], $16::text)`,
    readStream: `SELECT ${EVENT_COLUMNS} FROM ${events} AS e
      WHERE e.stream_id = $1 AND e.position <= $2::bigint AND e.stream_version >= $3 ORDER BY e.stream_version`,
    readAll: `SELECT ${EVENT_COLUMNS} FROM ${events} AS e
      WHERE e.position > $1::bigint AND e.position <= $2::bigint ORDER BY e.position LIMIT $3`,
    headPosition: `SELECT COALESCE(MAX(position), 0)::text AS head FROM ${events}`,
    identity: `SELECT i.log_id, (SELECT e.hash FROM ${events} AS e WHERE e.position = 1) AS first_hash
      FROM ${quoteIdentifier(schema)}.log_identity AS i WHERE i.singleton = 1`,
    // recorded_at never decreases with position, so the newest row at or before the instant is the
    // last position recorded by then; the (recorded_at, position) index answers it.
    positionAt: `SELECT e.position::text AS position FROM ${events} AS e
      WHERE e.recorded_at <= $1 ORDER BY e.recorded_at DESC, e.position DESC LIMIT 1`,
  };
}

export type Statements = ReturnType<typeof statements>;

function insertSql(events: string): string {
  return `INSERT INTO ${events}
      (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[],
        $7::json[], $8::json[], $9::text[], $10::text[], $11::text[])`;
}

/** The 11 array parameters of `insert` (columns of the rows). */
export function insertParams(rows: readonly RowToInsert[]): unknown[] {
  return [
    rows.map((r) => r.position.toString()),
    rows.map((r) => r.eventId),
    rows.map((r) => r.streamId),
    rows.map((r) => r.streamVersion),
    rows.map((r) => r.type),
    rows.map((r) => r.schemaVersion),
    rows.map((r) => r.data),
    rows.map((r) => r.metadata),
    rows.map((r) => r.hash),
    rows.map((r) => r.prevHash),
    rows.map((r) => r.recordedAt),
  ];
}

/** An appended event as a row: only the caller's context in `metadata`, the rest has columns. */
export function rowOfAppended(event: StoredEvent): RowToInsert {
  const { hash, prevHash, recordedAt, ...context } = event.metadata;
  return rowOf(event, JSON.stringify(event.data), JSON.stringify(context), hash, prevHash, recordedAt);
}

export function rowOf(
  event: Omit<StoredEvent, 'metadata'>,
  data: string,
  metadata: string,
  hash: string,
  prevHash: string,
  recordedAt: string,
): RowToInsert {
  return {
    position: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data,
    metadata,
    hash,
    prevHash,
    recordedAt,
  };
}

export function isUniqueViolation(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError && error.code === UNIQUE_VIOLATION;
}

/**
 * The checks under the lock make this unreachable in practice; kept as a backstop so that a writer
 * ignoring the protocol still surfaces as the port's errors.
 */
export function translateConstraint(error: unknown, fallbackId: string | undefined): unknown {
  if (!isUniqueViolation(error)) return error;
  if (error.constraint?.endsWith('event_id_key')) {
    const id = /\(event_id\)=\((.*)\)/.exec(error.detail ?? '')?.[1];
    return new DuplicateEventError(id ?? fallbackId ?? 'unknown');
  }
  return error;
}

export function clamp(position: bigint): bigint {
  if (position < 0n) return 0n;
  return position > MAX_POSITION ? MAX_POSITION : position;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  const context = JSON.parse(row.metadata) as EventContext;
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as unknown,
    metadata: { ...context, recordedAt: row.recorded_at, hash: row.hash, prevHash: row.prev_hash },
  };
}
