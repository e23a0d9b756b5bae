import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type ClaimReadState, type ClaimView, type SourceRecord, type StatementRecord } from '@app/claims';
import { type LogIdentity, migratePostgres, postgresTransaction } from '@app/event-store';
import type { ReadModelChanges } from '../newsroom.projection';
import type { AsyncReadModelBatch, AsyncReadModelStore } from '../port/read-model-store.port';
import { parse } from '../port/json-column';
import {
  type ClaimFilter,
  type ClaimRow,
  type SourceFilter,
  searchKeyOf,
} from '../sqlite/sqlite-list-queries';
import { NEWSROOM_CHECKPOINT, PROJECTION_VERSION } from '../sqlite/read-model.schema';
import type { StatementFilter, StoredSnapshot } from '../sqlite/sqlite-statement-rows';
import {
  checkpointFragment,
  claimCheckpoint,
  logFragment,
  projectedNotice,
  readBuiltFrom,
  readCheckpoint,
  readMeta,
  saveMeta,
} from './postgres-bookkeeping';
import { listClaims, listSources } from './postgres-list-queries';
import { lookupMany, statementName } from './postgres-lookups';
import { PostgresStatementRows } from './postgres-statement-rows';
import { DeferredBatch } from './postgres-deferred-batch';
import { changeFragments, type WriteFragment, writeFragments } from './postgres-read-model.writer';
import {
  readModelMigrations,
  POSTGRES_READ_MODEL_TABLES,
  quoteIdentifier,
} from './postgres-read-model.schema';

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * A projection batch commits without waiting for its own WAL flush (PostgreSQL's twin of decision
 * 0012's `synchronous = NORMAL` for SQLite read models): the read models and their checkpoint are
 * one transaction, so a server crash can only lose both together, and the projector replays the
 * log from the older checkpoint to the same rows. The log's appends keep `synchronous_commit = on`,
 * and WAL is flushed in order, so the next append's commit makes the batch durable too.
 */
const READ_MODEL_BEGIN = 'BEGIN; SET LOCAL synchronous_commit = off';

/**
 * The read models on PostgreSQL, beside the log in its schema: the queries' reader, and through
 * `batch` the projector's reader and writer inside one transaction (reads see the batch's own
 * writes). Every method of the projector's reader (ReadModelReader) has an async twin of the same
 * name here: the runner's working set loads what the projection misses by that name.
 */
export class PostgresReadModels implements AsyncReadModelStore, AsyncReadModelBatch {
  readonly synchronous = false;

  private closed = false;
  private readonly history: PostgresStatementRows;

  private constructor(
    private readonly pool: Pool,
    private readonly db: Queryable,
    readonly schema: string,
    private readonly ownsPool = false,
  ) {
    this.history = new PostgresStatementRows(this, quoteIdentifier(schema));
  }

  /**
   * Migrates the tables (under an advisory lock) and opens them; `schema` holds the log. With
   * `ownsPool`, `close()` ends the pool.
   */
  static async open(
    pool: Pool,
    schema: string,
    options: { ownsPool?: boolean } = {},
  ): Promise<PostgresReadModels> {
    await migratePostgres(pool, schema, readModelMigrations(schema));
    const readModels = new PostgresReadModels(pool, pool, schema, options.ownsPool);
    // Empty read models are built by this code from their first event on (as on SQLite).
    if (
      (await readModels.builtBy()) === undefined &&
      (await readModels.checkpoint(NEWSROOM_CHECKPOINT)) === 0n
    )
      await readModels.markBuiltBy(PROJECTION_VERSION);
    return readModels;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  private get s(): string {
    return quoteIdentifier(this.schema);
  }

  /** Prepared once per connection, named by a digest of the text (schemas differ in the text). */
  query<R extends QueryResultRow>(text: string, values: unknown[] = []) {
    return this.db.query<R>({ name: statementName(text), text, values });
  }

  /**
   * Several claims, sources or statements in one query, answered in the order asked (`undefined`
   * where there is no row): the working set loads what a whole projection batch looks up this way.
   * Any other method: `undefined`, and the caller loads each alone.
   */
  lookupMany(method: string, argsList: unknown[][]): Promise<unknown[] | undefined> {
    return lookupMany(this, this.s, method, argsList);
  }

  // Where the projection stands and what built the read models (postgres-bookkeeping.ts).

  checkpoint(projection: string): Promise<bigint> {
    return readCheckpoint(this, this.s, projection);
  }

  builtBy(): Promise<string | undefined> {
    return readMeta(this, this.s, 'projection_version');
  }

  markBuiltBy(version: string): Promise<void> {
    return saveMeta(this, this.s, 'projection_version', version);
  }

  builtFrom(): Promise<LogIdentity | undefined> {
    return readBuiltFrom(this, this.s);
  }

  async recordLog(identity: LogIdentity): Promise<void> {
    await writeFragments(this, [this.logFragment(identity)]);
  }

  /** Empties every read-model table in one transaction; the runner then replays the log. */
  async reset(): Promise<void> {
    const tables = POSTGRES_READ_MODEL_TABLES.map((t) => `${this.s}.${t}`).join(', ');
    await this.db.query(`TRUNCATE ${tables}`);
  }

  /**
   * One transaction; its writes wait and go in one statement before COMMIT, reads flushing them
   * first only where they could see them (DeferredBatch).
   */
  batch<T>(work: (batch: AsyncReadModelBatch) => Promise<T>): Promise<T> {
    return postgresTransaction(
      this.pool,
      async (client) => {
        const deferred = new DeferredBatch(new PostgresReadModels(this.pool, client, this.schema));
        const result = await work(deferred.batch);
        await deferred.flush();
        return result;
      },
      READ_MODEL_BEGIN,
    );
  }

  async apply(changes: readonly ReadModelChanges[]): Promise<void> {
    await writeFragments(this, this.changeFragments(changes));
  }

  changeFragments(changes: readonly ReadModelChanges[]): WriteFragment[] {
    return changeFragments(this.s, changes, searchKeyOf);
  }

  checkpointFragment(projection: string, position: bigint): WriteFragment {
    return checkpointFragment(this.s, projection, position);
  }

  logFragment(identity: LogIdentity): WriteFragment {
    return logFragment(this.s, identity);
  }

  projectedNotice(position: bigint): WriteFragment {
    return projectedNotice(this.schema, position);
  }

  writeFragments(fragments: readonly WriteFragment[], last?: WriteFragment): Promise<void> {
    return writeFragments(this, fragments, last);
  }

  claimCheckpoint(projection: string, expected: bigint): Promise<void> {
    return claimCheckpoint(this, this.s, projection, expected);
  }

  /** The checkpoint and its notification, in one statement. */
  async saveCheckpoint(projection: string, position: bigint): Promise<void> {
    await writeFragments(
      this,
      [this.checkpointFragment(projection, position)],
      this.projectedNotice(position),
    );
  }

  async source(sourceId: string): Promise<SourceRecord | undefined> {
    const { rows } = await this.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_sources WHERE source_id = $1`,
      [sourceId],
    );
    return rows[0] ? parse<SourceRecord>(rows[0].record) : undefined;
  }

  async claim(claimId: string): Promise<ClaimReadState | undefined> {
    const { rows } = await this.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_claims WHERE claim_id = $1`,
      [claimId],
    );
    return rows[0] ? parse<ClaimReadState>(rows[0].record) : undefined;
  }

  async claimView(claimId: string): Promise<ClaimView | undefined> {
    const row = await this.claimViewJson(claimId);
    return row ? parse<ClaimView>(row.json) : undefined;
  }

  async claimViewJson(claimId: string): Promise<{ json: string; streamVersion: number } | undefined> {
    const { rows } = await this.query<{ view: string; stream_version: number }>(
      `SELECT view, stream_version FROM ${this.s}.rm_claims WHERE claim_id = $1`,
      [claimId],
    );
    const row = rows[0];
    return row ? { json: row.view, streamVersion: row.stream_version } : undefined;
  }

  async claimViewUtf8(claimId: string): Promise<{ utf8: Buffer; streamVersion: number } | undefined> {
    const row = await this.claimViewJson(claimId);
    return row ? { utf8: Buffer.from(row.json), streamVersion: row.streamVersion } : undefined;
  }

  async claimsWithSources(sourceIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.query<{ claim_id: string }>(
      `SELECT DISTINCT claim_id FROM ${this.s}.rm_claim_sources WHERE source_id = ANY($1::text[])`,
      [sourceIds],
    );
    // Sorted as the SQLite store sorts them (JavaScript's order), so projections match.
    return rows.map((r) => r.claim_id).sort();
  }

  async sourcesAffiliatedWith(sourceId: string): Promise<string[]> {
    const { rows } = await this.query<{ source_id: string }>(
      `SELECT source_id FROM ${this.s}.rm_sources WHERE affiliation_id = $1 ORDER BY source_id`,
      [sourceId],
    );
    return rows.map((r) => r.source_id);
  }

  // A claim's history, paged and for historical reads (postgres-statement-rows.ts).

  statement(claimId: string, statementId: string): Promise<StatementRecord | undefined> {
    return this.history.statement(claimId, statementId);
  }

  liveStatementsOf(claimId: string, sourceId: string): Promise<StatementRecord[]> {
    return this.history.liveStatementsOf(claimId, sourceId);
  }

  statementsPage(claimId: string, filter: StatementFilter): Promise<StatementRecord[]> {
    return this.history.statementsPage(claimId, filter);
  }

  claimSourceIds(claimId: string): Promise<string[]> {
    return this.history.claimSourceIds(claimId);
  }

  statementsOfSource(claimId: string, sourceId: string): Promise<StatementRecord[]> {
    return this.history.statementsOfSource(claimId, sourceId);
  }

  statementsOfClaim(claimId: string): Promise<StatementRecord[]> {
    return this.history.statementsOfClaim(claimId);
  }

  statementsBySource(sourceId: string): Promise<{ claimId: string; statement: StatementRecord }[]> {
    return this.history.statementsBySource(sourceId);
  }

  snapshotAt(claimId: string, position: bigint): Promise<StoredSnapshot | undefined> {
    return this.history.snapshotAt(claimId, position);
  }

  /** Sources in id order; `q` matches names as normalized text (see the SQLite store). */
  listSources(filter: SourceFilter): Promise<SourceRecord[]> {
    return listSources(this, this.s, filter);
  }

  listClaims(filter: ClaimFilter): Promise<ClaimRow[]> {
    return listClaims(this, this.s, filter);
  }
}
