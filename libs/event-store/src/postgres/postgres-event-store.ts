import { createHash } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient, type QueryConfig, type QueryResultRow } from 'pg';
import {
  DuplicateEventError,
  type AppendResult,
  type Clock,
  type EventContext,
  type EventImporter,
  type EventStore,
  type ExpectedVersion,
  type LogIdentity,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../port/event-store.port';
import {
  EMPTY_STREAM,
  assertExpectedVersion,
  chainEvents,
  checkAppend,
  nextRecordedAt,
  type CheckedEvent,
  type StreamTip,
} from '../core/append-plan';
import { AppendedListeners, type EventStoreOptions } from '../core/appended-listeners';
import { EventStoreClosedError } from '../core/errors';
import { checkImport, contextOf } from '../core/import-plan';
import { toJsonValue } from '../core/json-value';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';
import { advisoryKey, checkSchemaName, migratePostgresEventStore, quoteIdentifier } from './postgres-schema';

/*
 * The event store on PostgreSQL. Why it is built the way it is:
 *
 * (a) Positions in COMMIT order. Readers (the projection runner, the auditor) page through the log
 *     with `readAll({ after })` and remember the last position they saw. If positions came from a
 *     sequence or an IDENTITY column, transaction A could draw position 7, transaction B position 8,
 *     and B commit first: a reader that sees 8 moves its checkpoint past 7, and when A commits, 7 is
 *     behind every checkpoint and is skipped forever. So every append (and import) first takes a
 *     transaction-level advisory lock, `pg_advisory_xact_lock`, in a statement of its own, and only
 *     then reads the stream tip and the head and assigns positions. The lock is held until COMMIT
 *     or ROLLBACK, and PostgreSQL releases it only after the commit is visible to new snapshots; in
 *     READ COMMITTED every later statement takes a fresh snapshot, so the next writer sees the
 *     previous commit. Writers therefore commit one after another in position order, and any
 *     snapshot sees a prefix 1..k of the log, never k+1 without k. Readers take no lock.
 *     Since the lock already serialises writers, the adapter assigns `head + 1, head + 2, ...`
 *     itself instead of drawing from a sequence: positions stay dense (a sequence leaves holes after
 *     a rollback, and after a crash it can jump by its prefetch of 32), so the auditor's rule "a hole
 *     in the log means a deleted row" holds on PostgreSQL as on SQLite. The primary key still
 *     rejects a writer that ignores the protocol.
 *     The lock key is per schema (see `advisoryKey`): logs in different schemas do not wait on each
 *     other. The cost is one writer at a time per log, which is what the SQLite store does too and
 *     far above a newsroom's write rate (docs/performance.md).
 *
 * (b) Exact round trips, identical hashes. `hashEvent` covers the RFC 8785 canonical form of what
 *     an event IS; a verifier recomputes it from what the store gives back. `jsonb` would normalise
 *     numbers (1e21, 0.1, -273.15 text forms), reorder and dedupe keys, and reject "\u0000", so an
 *     event could read back as a different value than was hashed. We store `JSON.stringify` of the
 *     validated copy (the same bytes the SQLite store keeps) in `json` columns, which keep the input
 *     text verbatim, and read it back as text (`data::text`) to parse it ourselves, independent of
 *     any global pg type parser. `recorded_at` is the hashed ISO string itself, not a timestamptz.
 *     The conformance suite recomputes every hash from what is read back.
 *
 * Everything that decides an append's outcome (validation, expected version, recordedAt, the hash
 * chain) is the shared core also used by the SQLite and memory stores; this file only reads the
 * tip and head under the lock and writes rows.
 */

export interface PostgresEventStoreOptions extends EventStoreOptions {
  /**
   * The schema holding `events` (created by `migrate()` if missing). Defaults to the connection's
   * current schema (the first existing entry of its search_path, usually `public`).
   */
  schema?: string;
  /** End the pool in `close()`. Off by default: whoever created the pool ends it. */
  ownsPool?: boolean;
}

/** An `events` row as selected: BIGINT as text, never through a (possibly overridden) type parser. */
interface EventRow extends QueryResultRow {
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
interface RowToInsert {
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
 * Selected from `events AS e`. ORDER BY must name `e.position`: a bare `position` would mean this
 * text output column and sort "10000" before "9998".
 */
const EVENT_COLUMNS =
  'e.position::text AS position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data::text AS data, e.metadata::text AS metadata, e.hash, e.prev_hash, e.recorded_at';

/** The largest BIGINT: out-of-range bounds mean "nothing beyond" rather than a bind error. */
const MAX_POSITION = 9223372036854775807n;

const UNDEFINED_TABLE = '42P01';
const UNIQUE_VIOLATION = '23505';

/** The SQL of one store, with its schema qualified into every statement. */
function statements(schema: string) {
  const events = `${quoteIdentifier(schema)}.events`;
  return {
    schema,
    appendKey: advisoryKey('append', schema),
    /** Under the lock: the first already-stored id of the batch, the stream tip, and the head. */
    appendBase: `
      SELECT
        (SELECT b.id FROM unnest($1::text[]) WITH ORDINALITY AS b(id, n)
          WHERE EXISTS (SELECT 1 FROM ${events} e WHERE e.event_id = b.id) ORDER BY b.n LIMIT 1) AS duplicate,
        tip.stream_version, tip.hash AS last_hash,
        head.position::text AS head, head.recorded_at AS last_recorded_at
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT stream_version, hash FROM ${events}
        WHERE stream_id = $2 ORDER BY stream_version DESC LIMIT 1) AS tip ON true
      LEFT JOIN LATERAL (SELECT position, recorded_at FROM ${events}
        ORDER BY position DESC LIMIT 1) AS head ON true`,
    head: `SELECT e.position::text AS head, e.recorded_at AS last_recorded_at FROM ${events} AS e
      ORDER BY e.position DESC LIMIT 1`,
    tips: `SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM ${events}
      WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version DESC`,
    existingIds: `SELECT event_id FROM ${events} WHERE event_id = ANY($1::text[])`,
    // One statement for a whole batch, whatever its size: 11 array parameters, not 11 per row.
    insert: `INSERT INTO ${events}
      (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[],
        $7::json[], $8::json[], $9::text[], $10::text[], $11::text[])`,
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

type Statements = ReturnType<typeof statements>;

export class PostgresEventStore implements EventStore, EventImporter {
  private readonly listeners: AppendedListeners;
  private readonly ownsPool: boolean;
  private readonly configuredSchema: string | undefined;
  private sql: Promise<Statements> | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    options: PostgresEventStoreOptions = {},
  ) {
    this.listeners = new AppendedListeners(options.onListenerError);
    this.ownsPool = options.ownsPool ?? false;
    this.configuredSchema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  }

  /** The schema in use: the `schema` option, or the connection's current schema. */
  async schema(): Promise<string> {
    return (await this.statements()).schema;
  }

  /** Creates or upgrades the schema and tables; idempotent. Call it at startup. */
  async migrate(): Promise<void> {
    this.assertOpen();
    const schema = this.configuredSchema ?? (await this.currentSchema());
    await this.transaction((client) => migratePostgresEventStore(client, schema));
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    const checked = checkAppend(streamId, events, expected);
    const sql = await this.statements();
    const result = await this.transaction((client) => this.write(client, sql, streamId, checked, expected));
    this.listeners.notify(result.position);
    return result;
  }

  /** EventImporter: restores recorded events with their own positions, ids, times and hashes. */
  async importRecorded(events: readonly StoredEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    const sql = await this.statements();
    await this.transaction((client) => this.writeRecorded(client, sql, events));
    const last = events.at(-1);
    if (last !== undefined) this.listeners.notify(last.position);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const to = options.toPosition === undefined ? MAX_POSITION : toPosition(options.toPosition, 'toPosition');
    const sql = await this.statements();
    const { rows } = await this.query<EventRow>(sql.readStream, [
      streamId,
      clamp(to).toString(),
      fromVersionOf(options),
    ]);
    return rows.map(toStoredEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const { after, to, limit } = pageRequest(options);
    const sql = await this.statements();
    const { rows } = await this.query<EventRow>(sql.readAll, [
      clamp(after).toString(),
      clamp(to ?? MAX_POSITION).toString(),
      limit,
    ]);
    return rows.map(toStoredEvent);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const sql = await this.statements();
    const { rows } = await this.query<{ head: string }>(sql.headPosition, []);
    return BigInt(rows[0]?.head ?? '0');
  }

  async identity(): Promise<LogIdentity> {
    this.assertOpen();
    const sql = await this.statements();
    const { rows } = await this.query<{ log_id: string; first_hash: string | null }>(sql.identity, []);
    const row = rows[0];
    if (row === undefined) throw new Error('the event store has no log identity: run migrate()');
    return { logId: row.log_id, firstEventHash: row.first_hash };
  }

  async positionAt(recordedAt: string): Promise<bigint> {
    this.assertOpen();
    const instant = normalizeInstant(recordedAt);
    const sql = await this.statements();
    const { rows } = await this.query<{ position: string }>(sql.positionAt, [instant]);
    return BigInt(rows[0]?.position ?? '0');
  }

  /** This process's appends only; other replicas' appends are found by the readers' poll. */
  onAppended(listener: (head: bigint) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    if (this.ownsPool) await this.pool.end();
  }

  /** The body of the append transaction: any throw rolls the whole batch back. */
  private async write(
    client: PoolClient,
    sql: Statements,
    streamId: string,
    events: readonly CheckedEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    await this.lock(client, sql);
    const base = await this.run<{
      duplicate: string | null;
      stream_version: number | null;
      last_hash: string | null;
      head: string | null;
      last_recorded_at: string | null;
    }>(client, sql.appendBase, [events.map((e) => e.eventId), streamId]);
    const row = base.rows[0];
    // Duplicates before the version check: a retry of an append that did commit (a lost COMMIT
    // reply, say) then learns that its events are stored, rather than seeing a version conflict.
    if (row?.duplicate) throw new DuplicateEventError(row.duplicate);
    const tip: StreamTip =
      row?.stream_version == null || row.last_hash == null
        ? EMPTY_STREAM
        : { version: row.stream_version, lastHash: row.last_hash };
    assertExpectedVersion(streamId, expected, tip);
    const recordedAt = nextRecordedAt(this.clock, row?.last_recorded_at ?? undefined);
    const head = BigInt(row?.head ?? '0');
    const stored: StoredEvent[] = chainEvents(streamId, events, tip, recordedAt).map((event, index) => ({
      ...event,
      position: head + BigInt(index + 1),
    }));
    await this.insert(
      client,
      sql,
      stored.map((event) => {
        const { hash, prevHash, recordedAt: at, ...context } = event.metadata;
        // Only the caller's context: recordedAt and the hashes have their own columns.
        return rowOf(event, JSON.stringify(event.data), JSON.stringify(context), hash, prevHash, at);
      }),
    );
    const last = stored.at(-1);
    if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
    return { streamVersion: last.streamVersion, position: last.position, events: stored };
  }

  /** Checked under the lock, so the base it is checked against cannot move. */
  private async writeRecorded(
    client: PoolClient,
    sql: Statements,
    events: readonly StoredEvent[],
  ): Promise<void> {
    await this.lock(client, sql);
    const head = (await this.run<{ head: string; last_recorded_at: string }>(client, sql.head, [])).rows[0];
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    const tips = new Map<string, StreamTip>(
      (
        await this.run<{ stream_id: string; stream_version: number; hash: string }>(client, sql.tips, [
          streamIds,
        ])
      ).rows.map((r) => [r.stream_id, { version: r.stream_version, lastHash: r.hash }]),
    );
    const existing = new Set(
      (
        await this.run<{ event_id: string }>(client, sql.existingIds, [events.map((e) => e.eventId)])
      ).rows.map((r) => r.event_id),
    );
    checkImport(events, {
      head: BigInt(head?.head ?? '0'),
      lastRecordedAt: head?.last_recorded_at,
      tip: (streamId) => tips.get(streamId) ?? EMPTY_STREAM,
      hasEventId: (eventId) => existing.has(eventId),
    });
    await this.insert(
      client,
      sql,
      events.map((event) =>
        rowOf(
          event,
          JSON.stringify(toJsonValue(event.data)),
          JSON.stringify(contextOf(event.metadata)),
          event.metadata.hash,
          event.metadata.prevHash,
          event.metadata.recordedAt,
        ),
      ),
    );
  }

  /** Serialises writers of this log until COMMIT/ROLLBACK; a statement of its own, see (a). */
  private async lock(client: PoolClient, sql: Statements): Promise<void> {
    await this.run(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [sql.appendKey]);
  }

  private async insert(client: PoolClient, sql: Statements, rows: readonly RowToInsert[]): Promise<void> {
    try {
      await this.run(client, sql.insert, [
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
      ]);
    } catch (error) {
      throw translateConstraint(error, rows);
    }
  }

  private statements(): Promise<Statements> {
    this.assertOpen();
    if (this.sql === undefined) {
      const pending = (async () => statements(this.configuredSchema ?? (await this.currentSchema())))();
      this.sql = pending;
      // A failed lookup (server down at start) is not kept: the next call tries again.
      pending.catch(() => {
        if (this.sql === pending) this.sql = undefined;
      });
    }
    return this.sql;
  }

  private async currentSchema(): Promise<string> {
    const { rows } = await this.pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema;
    if (!schema) {
      throw new Error(
        'PostgresEventStore: no schema given and the search_path names no existing schema; pass the schema option',
      );
    }
    return checkSchemaName(schema);
  }

  /** Pooled query outside a transaction. */
  private query<R extends QueryResultRow>(text: string, values: unknown[]) {
    return this.run<R>(this.pool, text, values);
  }

  /**
   * Named (prepared once per connection) by a digest of the text, so two stores on one pool with
   * different schemas never collide on a name. Translates "no such table" into what to do about it.
   */
  private async run<R extends QueryResultRow>(
    on: Pick<Pool, 'query'> | PoolClient,
    text: string,
    values: unknown[],
  ) {
    // No open check here: an operation that began before close() finishes (or rolls back) cleanly.
    const config: QueryConfig = {
      name: `es_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`,
      text,
      values,
    };
    try {
      return await on.query<R>(config);
    } catch (error) {
      if (error instanceof DatabaseError && error.code === UNDEFINED_TABLE) {
        throw new Error('PostgresEventStore: the tables do not exist; call migrate() first', {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * BEGIN ... COMMIT on one pooled connection (READ COMMITTED, the default: see (a)). If COMMIT's
   * reply is lost the outcome is unknown; the caller's retry then meets DuplicateEventError, which
   * tells it the events are stored. A connection whose ROLLBACK failed is destroyed, not pooled.
   */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function rowOf(
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

/**
 * The checks under the lock make this unreachable in practice; kept as a backstop so that a writer
 * ignoring the protocol still surfaces as the port's errors.
 */
function translateConstraint(error: unknown, rows: readonly RowToInsert[]): unknown {
  if (!(error instanceof DatabaseError) || error.code !== UNIQUE_VIOLATION) return error;
  if (error.constraint?.endsWith('event_id_key')) {
    const id = /\(event_id\)=\((.*)\)/.exec(error.detail ?? '')?.[1];
    return new DuplicateEventError(id ?? rows[0]?.eventId ?? 'unknown');
  }
  return error;
}

function clamp(position: bigint): bigint {
  if (position < 0n) return 0n;
  return position > MAX_POSITION ? MAX_POSITION : position;
}

function toStoredEvent(row: EventRow): StoredEvent {
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
