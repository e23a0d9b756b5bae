import type { Database, Statement } from 'better-sqlite3';
import { type ClaimReadState, type ClaimView, type SourceRecord, type StatementRecord } from '@app/claims';
import type { LogIdentity } from '@app/event-store';
import type { ReadModelChanges, ReadModelReader } from '../newsroom.projection';
import type { SyncReadModelStore } from '../port/read-model-store.port';
import { parse } from '../port/json-column';
import {
  dropDeferredIndexes,
  dropReadModels,
  dropStaleReadModels,
  LOADING_VERSION,
  migrateReadModels,
  NEWSROOM_CHECKPOINT,
  PROJECTION_VERSION,
} from './read-model.schema';
import {
  type ClaimFilter,
  type ClaimRow,
  listClaims,
  listSources,
  searchKeyOf,
  type SourceFilter,
} from './sqlite-list-queries';
import { SqliteStatementRows, type StatementFilter, type StoredSnapshot } from './sqlite-statement-rows';

/** SQLite's `synchronous = NORMAL`: in WAL mode a commit appends to the WAL without an fsync. */
const SYNCHRONOUS_NORMAL = 1;

/**
 * The read models in SQLite: the projector's reader and writer, and the queries' reader.
 * Synchronous, as better-sqlite3 is; every write happens inside the runner's transaction.
 */
export class SqliteReadModels implements ReadModelReader, SyncReadModelStore {
  readonly synchronous = true;
  private stmt: Record<string, Statement>;
  /** A claim's history as rows: statements and snapshots (sqlite-statement-rows.ts). */
  private history: SqliteStatementRows;

  /** True when read models of another projection version were found and dropped. */
  readonly droppedStale: boolean;

  constructor(private readonly db: Database) {
    this.droppedStale = dropStaleReadModels(db);
    migrateReadModels(db);
    this.stmt = this.prepare();
    this.history = new SqliteStatementRows(db);
    // Empty read models are built by this code from their first event on.
    if (this.builtBy() === undefined && this.checkpoint(NEWSROOM_CHECKPOINT) === 0n) {
      this.markBuiltBy(PROJECTION_VERSION);
    }
  }

  private prepare(): Record<string, Statement> {
    const db = this.db;
    return {
      checkpoint: db.prepare('SELECT position FROM rm_checkpoints WHERE projection = ?').safeIntegers(true),
      saveCheckpoint: db.prepare(
        'INSERT INTO rm_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT(projection) DO UPDATE SET position = excluded.position',
      ),
      meta: db.prepare('SELECT value FROM rm_meta WHERE key = ?'),
      saveMeta: db.prepare(
        'INSERT INTO rm_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      source: db.prepare('SELECT record FROM rm_sources WHERE source_id = ?'),
      saveSource: db.prepare(
        `INSERT INTO rm_sources (source_id, affiliation_id, kind, search_key, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(source_id) DO UPDATE SET affiliation_id = excluded.affiliation_id, kind = excluded.kind,
           search_key = excluded.search_key, record = excluded.record`,
      ),
      affiliated: db.prepare('SELECT source_id FROM rm_sources WHERE affiliation_id = ? ORDER BY source_id'),
      claimRecord: db.prepare('SELECT record FROM rm_claims WHERE claim_id = ?'),
      claimView: db.prepare('SELECT view, stream_version FROM rm_claims WHERE claim_id = ?'),
      // As a BLOB, SQLite hands over the stored UTF-8 bytes: a Buffer, not a JS string.
      claimViewUtf8: db.prepare(
        'SELECT CAST(view AS BLOB) AS view, stream_version FROM rm_claims WHERE claim_id = ?',
      ),
      // The story and the opening never change, and the status seldom does: an update that names
      // an indexed column rewrites that index's entry (a WAL page per index per write) even when
      // the value is the same, so they are left out here and the status is set apart, if changed.
      saveClaim: db.prepare(
        `INSERT INTO rm_claims (claim_id, story_id, status, opened_position, stream_version, record, view)
         VALUES (@claimId, @storyId, @status, @openedPosition, @streamVersion, @record, @view)
         ON CONFLICT(claim_id) DO UPDATE SET stream_version = excluded.stream_version,
           record = excluded.record, view = excluded.view`,
      ),
      saveClaimStatus: db.prepare('UPDATE rm_claims SET status = ? WHERE claim_id = ? AND status <> ?'),
      claimsOfSource: db.prepare('SELECT claim_id FROM rm_claim_sources WHERE source_id = ?'),
      saveClaimSource: db.prepare(
        'INSERT OR IGNORE INTO rm_claim_sources (source_id, claim_id) VALUES (?, ?)',
      ),
    };
  }

  checkpoint(projection: string): bigint {
    const row = this.stmt.checkpoint!.get(projection) as { position: bigint } | undefined;
    return row?.position ?? 0n;
  }

  /** The projection code version these read models were built by (see PROJECTION_VERSION). */
  builtBy(): string | undefined {
    return (this.stmt.meta!.get('projection_version') as { value: string } | undefined)?.value;
  }

  markBuiltBy(version: string): void {
    this.stmt.saveMeta!.run('projection_version', version);
  }

  /** The log these read models were built from (rm_meta), recorded with their checkpoints. */
  builtFrom(): LogIdentity | undefined {
    const logId = (this.stmt.meta!.get('log_id') as { value: string } | undefined)?.value;
    if (logId === undefined) return undefined;
    const first = (this.stmt.meta!.get('first_event_hash') as { value: string } | undefined)?.value;
    return { logId, firstEventHash: first ?? null };
  }

  recordLog(identity: LogIdentity): void {
    this.stmt.saveMeta!.run('log_id', identity.logId);
    if (identity.firstEventHash !== null)
      this.stmt.saveMeta!.run('first_event_hash', identity.firstEventHash);
  }

  source(sourceId: string): SourceRecord | undefined {
    const row = this.stmt.source!.get(sourceId) as { record: string } | undefined;
    return row ? parse<SourceRecord>(row.record) : undefined;
  }

  claim(claimId: string): ClaimReadState | undefined {
    const row = this.stmt.claimRecord!.get(claimId) as { record: string } | undefined;
    return row ? parse<ClaimReadState>(row.record) : undefined;
  }

  statement(claimId: string, statementId: string): StatementRecord | undefined {
    return this.history.statement(claimId, statementId);
  }

  liveStatementsOf(claimId: string, sourceId: string): StatementRecord[] {
    return this.history.liveStatementsOf(claimId, sourceId);
  }

  claimView(claimId: string): ClaimView | undefined {
    const row = this.claimViewJson(claimId);
    return row ? parse<ClaimView>(row.json) : undefined;
  }

  /** The view as stored, for answering without parsing and serializing it again. */
  claimViewJson(claimId: string): { json: string; streamVersion: number } | undefined {
    const row = this.stmt.claimView!.get(claimId) as { view: string; stream_version: number } | undefined;
    return row ? { json: row.view, streamVersion: row.stream_version } : undefined;
  }

  claimViewUtf8(claimId: string): { utf8: Buffer; streamVersion: number } | undefined {
    const row = this.stmt.claimViewUtf8!.get(claimId) as { view: Buffer; stream_version: number } | undefined;
    return row ? { utf8: row.view, streamVersion: row.stream_version } : undefined;
  }

  claimsWithSources(sourceIds: readonly string[]): string[] {
    const ids = new Set<string>();
    for (const sourceId of sourceIds) {
      for (const row of this.stmt.claimsOfSource!.all(sourceId) as { claim_id: string }[])
        ids.add(row.claim_id);
    }
    return [...ids].sort();
  }

  sourcesAffiliatedWith(sourceId: string): string[] {
    return (this.stmt.affiliated!.all(sourceId) as { source_id: string }[]).map((r) => r.source_id);
  }

  // A claim's history, paged (GET /claims/{id}/statements) and for historical reads.

  statementsPage(claimId: string, filter: StatementFilter): StatementRecord[] {
    return this.history.statementsPage(claimId, filter);
  }

  claimSourceIds(claimId: string): string[] {
    return this.history.claimSourceIds(claimId);
  }

  statementsOfSource(claimId: string, sourceId: string): StatementRecord[] {
    return this.history.statementsOfSource(claimId, sourceId);
  }

  statementsOfClaim(claimId: string): StatementRecord[] {
    return this.history.statementsOfClaim(claimId);
  }

  statementsBySource(sourceId: string): { claimId: string; statement: StatementRecord }[] {
    return this.history.statementsBySource(sourceId);
  }

  snapshotAt(claimId: string, position: bigint): StoredSnapshot | undefined {
    return this.history.snapshotAt(claimId, position);
  }

  listSources(filter: SourceFilter): SourceRecord[] {
    return listSources(this.db, filter);
  }

  listClaims(filter: ClaimFilter): ClaimRow[] {
    return listClaims(this.db, filter);
  }

  /** Writes one event's changes; called inside the runner's transaction. */
  apply(changes: ReadModelChanges): void {
    for (const source of changes.sources) {
      this.stmt.saveSource!.run(
        source.sourceId,
        source.affiliationId ?? null,
        source.kind,
        searchKeyOf(source),
        JSON.stringify(source),
      );
    }
    for (const { record, view } of changes.claims) {
      this.stmt.saveClaim!.run({
        claimId: record.claimId,
        storyId: record.storyId,
        status: view.status,
        openedPosition: BigInt(record.openedPosition),
        streamVersion: record.streamVersion,
        record: JSON.stringify(record),
        view: JSON.stringify(view),
      });
      this.stmt.saveClaimStatus!.run(view.status, record.claimId, view.status);
    }
    for (const { claimId, sourceId } of changes.claimSources)
      this.stmt.saveClaimSource!.run(sourceId, claimId);
    for (const { claimId, statement } of changes.statements) this.history.saveStatement(claimId, statement);
    for (const snapshot of changes.snapshots) this.history.saveSnapshot(snapshot);
  }

  saveCheckpoint(projection: string, position: bigint): void {
    this.stmt.saveCheckpoint!.run(projection, position);
  }

  /**
   * One batch of read models, its checkpoint and the log's identity, committed together. Without
   * an fsync of its own (issue 7: no second fsync per request): read models are derived data, so
   * the batch commits with `synchronous = NORMAL`, and in WAL mode the log's next commit on this
   * file (FULL) syncs the WAL with the batch's frames in it. A crash before then loses the batch
   * and its checkpoint together, never one without the other, and the runner projects it again.
   */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(work).immediate();
    const previous = this.db.pragma('synchronous', { simple: true }) as number;
    if (previous <= SYNCHRONOUS_NORMAL) return this.db.transaction(work).immediate();
    this.db.pragma(`synchronous = ${SYNCHRONOUS_NORMAL}`);
    try {
      return this.db.transaction(work).immediate();
    } finally {
      this.db.pragma(`synchronous = ${previous}`);
    }
  }

  /**
   * A build from an empty checkpoint (a rebuild, a first start on a log): the tables load without
   * the indexes only queries use, and the built-by mark says the load is under way, so reopening
   * after a crash mid-load drops everything and builds again (dropStaleReadModels) rather than
   * serving read models without their indexes. `endLoad` finishes it.
   */
  beginLoad(): void {
    this.db.transaction(() => {
      this.markBuiltBy(LOADING_VERSION);
      dropDeferredIndexes(this.db);
    })();
  }

  /** After a load (if one is under way): its indexes created, then the mark says current. */
  endLoad(): void {
    if (this.builtBy() !== LOADING_VERSION) return;
    this.db.transaction(() => {
      migrateReadModels(this.db);
      this.markBuiltBy(PROJECTION_VERSION);
    })();
  }

  /** Drops and recreates every read-model table; the runner then replays the log from the start. */
  reset(): void {
    this.db.transaction(() => {
      dropReadModels(this.db);
      migrateReadModels(this.db);
    })();
    this.stmt = this.prepare();
    this.history = new SqliteStatementRows(this.db);
  }
}
