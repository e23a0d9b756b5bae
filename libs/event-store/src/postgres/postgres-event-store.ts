import type { Pool } from 'pg';
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
import { checkAppend } from '../core/append-plan';
import { AppendedListeners } from '../core/appended-listeners';
import type { AppendRequest } from '../core/batch-plan';
import { EventStoreClosedError } from '../core/errors';
import { GroupCommitQueue, type Outcome } from '../core/group-commit';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';
import { run, transaction } from './postgres-query';
import { checkSchemaName, migratePostgresEventStore } from './postgres-schema';
import {
  MAX_POSITION,
  clamp,
  statements,
  toStoredEvent,
  type EventRow,
  type Statements,
} from './postgres-sql';
import { commitGroup, type GroupWriter } from './postgres-group-commit';
import { KnownLog } from './postgres-known-log';
import type { PostgresEventStoreOptions } from './postgres-store-options';
import { PostgresWakeUps } from './postgres-wake-ups';
import { writeRecorded } from './postgres-writes';

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
 *     other. The cost is one writer at a time per log, as on SQLite; group commit (c) makes that
 *     one writer carry many appends per COMMIT (docs/decisions/0005 measures the alternatives).
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
 * (c) Group commit (docs/decisions/0005) and (e) one round trip per group commit (decision 0024):
 *     appends are queued (core/group-commit) and written a batch at a time; how a batch is
 *     written, in one call of `append_events` or under the lock in four round trips, is in
 *     postgres-group-commit.ts.
 *
 * (d) Wake-ups across processes. The insert statement also runs `pg_notify(<channel>, <head>)`;
 *     PostgreSQL delivers it at COMMIT to every session LISTENing on the log's channel
 *     (`events_appended_<schema>`). Once the first `onAppended` listener subscribes, the store opens
 *     one dedicated client (not from the pool) that LISTENs, reconnects with backoff after an error
 *     and then reads the head once; `onAppended` listeners in every process fire, each head at most
 *     once and in increasing order. A missed signal loses nothing: consumers read from their
 *     checkpoint. `close()` ends that client.
 *
 * Everything that decides an append's outcome (validation, expected version, recordedAt, the hash
 * chain) is the shared core also used by the SQLite and memory stores; the postgres-* files only
 * read the base under the lock and write rows.
 */

export type { PostgresEventStoreOptions } from './postgres-store-options';

export class PostgresEventStore implements EventStore, EventImporter {
  private readonly listeners: AppendedListeners;
  private readonly ownsPool: boolean;
  private readonly configuredSchema: string | undefined;
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly wakeUps: PostgresWakeUps | undefined;
  private readonly notify: boolean;
  private readonly oneRoundTrip: boolean;
  /** Tips and time last seen, to plan the next batch against (e). */
  private readonly known = new KnownLog();
  private sql: Promise<Statements> | undefined;
  /** The highest head announced to listeners: each head is announced once, in increasing order. */
  private announced = 0n;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    options: PostgresEventStoreOptions = {},
  ) {
    this.listeners = new AppendedListeners(options.onListenerError);
    this.ownsPool = options.ownsPool ?? false;
    this.notify = options.notify ?? true;
    this.oneRoundTrip = options.oneRoundTrip ?? true;
    this.configuredSchema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
    this.queue = new GroupCommitQueue(
      (requests) => this.commitBatch(requests),
      (outcomes) => {
        const last = outcomes.findLast((outcome) => outcome.ok);
        if (last?.ok) this.announce(last.value.position);
      },
      { ...options.groupCommit, weigh: (request) => request.events.length },
    );
    if (options.listen ?? true) {
      this.wakeUps = new PostgresWakeUps({
        connection: pool.options,
        channel: async () => (await this.statements()).channel,
        head: () => this.readHead(),
        onHead: (head) => this.announce(head),
        onError: options.onWakeUpError ?? warnWakeUpError,
        reconnectDelayMs: options.reconnectDelayMs,
      });
    }
  }

  /** The schema in use: the `schema` option, or the connection's current schema. */
  async schema(): Promise<string> {
    return (await this.statements()).schema;
  }

  /** Creates or upgrades the schema and tables; idempotent. Call it at startup. */
  async migrate(): Promise<void> {
    this.assertOpen();
    const schema = this.configuredSchema ?? (await this.currentSchema());
    await transaction(this.pool, (client) => migratePostgresEventStore(client, schema));
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    const checked = checkAppend(streamId, events, expected);
    return this.queue.submit({ streamId, events: checked, expected });
  }

  /** EventImporter: restores recorded events with their own positions, ids, times and hashes. */
  async importRecorded(events: readonly StoredEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    const sql = await this.statements();
    await transaction(
      this.pool,
      (client) => writeRecorded(client, sql, events, this.notify),
      sql.beginLocked,
    );
    const last = events.at(-1);
    if (last !== undefined) this.announce(last.position);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const to = options.toPosition === undefined ? MAX_POSITION : toPosition(options.toPosition, 'toPosition');
    const sql = await this.statements();
    const { rows } = await run<EventRow>(this.pool, sql.readStream, [
      streamId,
      clamp(to).toString(),
      fromVersionOf(options),
    ]);
    const events = rows.map(toStoredEvent);
    // Read to its end: the tip a decision on this stream will most likely append after (e).
    if (options.toPosition === undefined) this.known.read(streamId, events);
    return events;
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const { after, to, limit } = pageRequest(options);
    const sql = await this.statements();
    const { rows } = await run<EventRow>(this.pool, sql.readAll, [
      clamp(after).toString(),
      clamp(to ?? MAX_POSITION).toString(),
      limit,
    ]);
    return rows.map(toStoredEvent);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.readHead();
  }

  async identity(): Promise<LogIdentity> {
    this.assertOpen();
    const sql = await this.statements();
    const { rows } = await run<{ log_id: string; first_hash: string | null }>(this.pool, sql.identity, []);
    const row = rows[0];
    if (row === undefined) throw new Error('the event store has no log identity: run migrate()');
    return { logId: row.log_id, firstEventHash: row.first_hash };
  }

  async positionAt(recordedAt: string): Promise<bigint> {
    this.assertOpen();
    const instant = normalizeInstant(recordedAt);
    const sql = await this.statements();
    const { rows } = await run<{ position: string }>(this.pool, sql.positionAt, [instant]);
    return BigInt(rows[0]?.position ?? '0');
  }

  /** This process's appends, and (with `listen`) every other process's, through NOTIFY (d). */
  onAppended(listener: (head: bigint) => void): () => void {
    const unsubscribe = this.listeners.add(listener);
    if (!this.closed) this.wakeUps?.start();
    return unsubscribe;
  }

  /**
   * Resolves once this store LISTENs for other processes' appends (starting it if needed): a
   * listener subscribed before then still hears the head read right after LISTEN, not each append.
   */
  async listening(): Promise<void> {
    this.assertOpen();
    await this.wakeUps?.ready();
  }

  /** Appends accepted before close() are still written; later calls fail with EventStoreClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.drain();
    await this.wakeUps?.stop();
    this.listeners.clear();
    if (this.ownsPool) await this.pool.end();
  }

  private async commitBatch(requests: readonly AppendRequest[]): Promise<Outcome<AppendResult>[]> {
    const sql = await this.statements(false);
    return commitGroup(this.writer(sql), requests);
  }

  private writer(sql: Statements): GroupWriter {
    return {
      pool: this.pool,
      sql,
      clock: this.clock,
      notify: this.notify,
      known: this.known,
      oneRoundTrip: this.oneRoundTrip,
    };
  }

  /** Without the open check: the LISTEN client may still ask while close() stops it. */
  private async readHead(): Promise<bigint> {
    const sql = await this.statements(false);
    const { rows } = await run<{ head: string }>(this.pool, sql.headPosition, []);
    return BigInt(rows[0]?.head ?? '0');
  }

  private announce(head: bigint): void {
    if (head <= this.announced) return;
    this.announced = head;
    this.listeners.notify(head);
  }

  private statements(checkOpen = true): Promise<Statements> {
    if (checkOpen) this.assertOpen();
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

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function warnWakeUpError(error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(`event store LISTEN connection: ${detail}`, 'EventStoreWakeUpWarning');
}
