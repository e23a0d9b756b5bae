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
import { AppendedListeners, type EventStoreOptions } from '../core/appended-listeners';
import type { AppendRequest } from '../core/batch-plan';
import { EventStoreClosedError } from '../core/errors';
import { GroupCommitQueue, type Outcome } from '../core/group-commit';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';
import { run, transaction } from './postgres-query';
import { checkSchemaName, migratePostgresEventStore } from './postgres-schema';
import {
  MAX_POSITION,
  clamp,
  isUniqueViolation,
  statements,
  translateConstraint,
  toStoredEvent,
  type EventRow,
  type Statements,
} from './postgres-sql';
import { KnownLog } from './postgres-known-log';
import { appendInOneTrip } from './postgres-one-trip';
import { PostgresWakeUps } from './postgres-wake-ups';
import { writeBatch, writeRecorded } from './postgres-writes';

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
 * (c) Group commit (docs/decisions/0005). Appends are queued (core/group-commit); at most one
 *     transaction per store is in flight, and the next one takes everything that queued meanwhile
 *     (or in the same event-loop turn when idle). One transaction = four round trips whatever its
 *     size: BEGIN + lock, one read of the stored ids, tips and head (postgres-sql `batchBase`), one
 *     insert of all accepted rows with `unnest` arrays plus the NOTIFY, COMMIT. Each append is
 *     checked in memory against the base as the appends before it in the batch leave it
 *     (core/batch-plan), so it fails alone and two appends to one stream are checked in order.
 *
 * (d) Wake-ups across processes. The insert statement also runs `pg_notify(<channel>, <head>)`;
 *     PostgreSQL delivers it at COMMIT to every session LISTENing on the log's channel
 *     (`events_appended_<schema>`). Once the first `onAppended` listener subscribes, the store opens
 *     one dedicated client (not from the pool) that LISTENs, reconnects with backoff after an error
 *     and then reads the head once; `onAppended` listeners in every process fire, each head at most
 *     once and in increasing order. A missed signal loses nothing: consumers read from their
 *     checkpoint. `close()` ends that client.
 *
 * (e) One round trip per group commit (docs/decisions/0024). (c) costs four round trips, and one
 *     writer waits for all four on every append. By default a batch is planned against what this
 *     process knows of the log (KnownLog: tips learned from its own commits and from readStream,
 *     the last recordedAt) and sent as ONE call of `append_events` (migration 3) outside any
 *     explicit transaction: under the same advisory lock it checks every guess (tips, ids, time),
 *     inserts at head + 1.., NOTIFYs and commits in that round trip. A wrong guess writes nothing
 *     and answers the real base; the batch is planned again from it (a second round trip), and
 *     after a second miss it takes path (c). Outcomes are those (c) would give: the guess the
 *     plan used is checked to be the base under the lock. Imports always take path (c).
 *
 * Everything that decides an append's outcome (validation, expected version, recordedAt, the hash
 * chain) is the shared core also used by the SQLite and memory stores; the postgres-* files only
 * read the base under the lock and write rows.
 */

export interface PostgresEventStoreOptions extends EventStoreOptions {
  /**
   * The schema holding `events` (created by `migrate()` if missing). Defaults to the connection's
   * current schema (the first existing entry of its search_path, usually `public`).
   */
  schema?: string;
  /** End the pool in `close()`. Off by default: whoever created the pool ends it. */
  ownsPool?: boolean;
  /** LISTEN for other processes' appends once `onAppended` has a listener (d). Default true. */
  listen?: boolean;
  /**
   * NOTIFY other processes of each commit (d). Default true. It costs about 0.2 ms per COMMIT
   * (docs/decisions/0005); turn it off only where no other process reads this log.
   */
  notify?: boolean;
  /** Receives errors of the LISTEN connection (it reconnects by itself); default: a process warning. */
  onWakeUpError?: (error: unknown) => void;
  /** First delay before the LISTEN client reconnects, doubling up to 30 s. Default 250 ms. */
  reconnectDelayMs?: number;
  /**
   * Write each group commit in one round trip, planned against what this process knows of the
   * log and checked under the lock by `append_events` (e). Default true; off, every batch takes
   * the lock and reads first (four round trips), as imports always do.
   */
  oneRoundTrip?: boolean;
}

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

  /**
   * One group commit (c). If the insert hit a unique violation (a writer ignoring the lock), the
   * whole transaction is gone: each request is retried alone, so only the offending one fails.
   */
  private async commitBatch(requests: readonly AppendRequest[]): Promise<Outcome<AppendResult>[]> {
    const sql = await this.statements(false);
    try {
      if (this.oneRoundTrip) {
        const outcomes = await appendInOneTrip(this.pool, sql, requests, this.clock, this.notify, this.known);
        if (outcomes !== undefined) return outcomes;
      }
      const { outcomes, base, stored } = await transaction(
        this.pool,
        (client) => writeBatch(client, sql, requests, this.clock, this.notify),
        sql.beginLocked,
      );
      for (const request of requests) this.known.setTip(request.streamId, base.tips.get(request.streamId));
      this.known.recorded(base.lastRecordedAt);
      this.known.committed(stored);
      return outcomes;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (requests.length === 1) throw translateConstraint(error, requests[0]?.events[0]?.eventId);
      const alone: Outcome<AppendResult>[] = [];
      for (const request of requests) {
        try {
          const [outcome] = await this.commitBatch([request]);
          alone.push(outcome ?? { ok: false, error: new Error('group commit: no outcome') });
        } catch (retryError) {
          alone.push({ ok: false, error: retryError });
        }
      }
      return alone;
    }
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
