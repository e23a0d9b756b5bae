import type { Database, Statement } from 'better-sqlite3';
import type { ClaimReadState, Stance, StatementRecord } from '@app/claims';
import type { ClaimSnapshot } from '../newsroom.projection';
import { parse } from '../port/json-column';
import { SnapshotStates } from './snapshot-states';

/**
 * A claim's history as rows: its statements (each with its whole history) and the snapshots of
 * its incremental state (its timeline is read from the log: queries/claim-timeline.ts). Every query here is keyed by the claim and bounded by a page
 * or by one source, so no read grows with the whole history unless it asks for all of it.
 */

export type StatementState = 'live' | 'superseded' | 'retracted';

export interface StatementFilter {
  /** Only these sources (a voice's members); an empty list matches nothing. */
  sourceIds?: readonly string[];
  stance?: Stance;
  state?: StatementState;
  /** The claim's current positions: what `superseded` excludes from the live. */
  positionIds?: readonly string[];
  /** Inclusive, in ms since the epoch, on the current stated time. */
  statedAfterMs?: number;
  /** Exclusive, in ms since the epoch, on the current stated time. */
  statedBeforeMs?: number;
  /** Exclusive: statements reported after this position. */
  afterPosition?: bigint;
  limit: number;
}

export interface StoredSnapshot {
  streamVersion: number;
  position: string;
  state: ClaimReadState;
}

/**
 * A statement's row text: its record without `current` when that equals `original` (a statement
 * never corrected, or corrected back), which is most of them. That halves the row, so it fits in
 * its B-tree page instead of spilling into an overflow page of its own (a WITHOUT ROWID row keeps
 * at most ~1,000 bytes in the page on 4 KB pages): fewer pages per write and per rebuild.
 */
export function encodeStatement(statement: StatementRecord): string {
  // One object for both (as reportedStatement and decodeStatement make it) needs no comparing.
  const same =
    statement.current === statement.original ||
    JSON.stringify(statement.current) === JSON.stringify(statement.original);
  return JSON.stringify(same ? { ...statement, current: undefined } : statement);
}

/** The record again, `current` back in its place (right after `original`) when it was left out. */
export function decodeStatement(text: string): StatementRecord {
  const stored = JSON.parse(text) as Omit<StatementRecord, 'current'> & {
    current?: StatementRecord['current'];
  };
  if (stored.current !== undefined) return stored as StatementRecord;
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    record[key] = value;
    // As reportedStatement makes it: one fields object for both until a correction.
    if (key === 'original') record.current = value;
  }
  return record as unknown as StatementRecord;
}

const statedAtMs = (statement: StatementRecord): number | null => {
  const ms = Date.parse(statement.current.statedAt.at);
  return Number.isNaN(ms) ? null : ms;
};

export class SqliteStatementRows {
  private readonly stmt: Record<string, Statement>;
  /** Parsed snapshot states, per connection: snapshots never change once written (0041). */
  private readonly snapshotStates = new SnapshotStates();

  constructor(private readonly db: Database) {
    this.stmt = {
      statement: db.prepare('SELECT record FROM rm_statements WHERE claim_id = ? AND statement_id = ?'),
      liveOfSource: db.prepare(
        'SELECT record FROM rm_statements WHERE claim_id = ? AND source_id = ? AND retracted = 0 ORDER BY reported_position',
      ),
      ofSource: db.prepare(
        'SELECT record FROM rm_statements WHERE claim_id = ? AND source_id = ? ORDER BY reported_position',
      ),
      ofClaim: db.prepare('SELECT record FROM rm_statements WHERE claim_id = ? ORDER BY reported_position'),
      // Through the source's claims (rm_claim_sources holds a row for the source of every statement
      // row), then that source's rows of each: no index on rm_statements by source alone to keep.
      bySource: db.prepare(
        `SELECT s.claim_id, s.record FROM rm_claim_sources c
         JOIN rm_statements s ON s.claim_id = c.claim_id AND s.source_id = c.source_id
         WHERE c.source_id = ? ORDER BY s.claim_id, s.reported_position`,
      ),
      save: db.prepare(
        `INSERT INTO rm_statements (claim_id, statement_id, source_id, reported_position, stance, stated_at_ms, retracted, record)
         VALUES (@claimId, @statementId, @sourceId, @reportedPosition, @stance, @statedAtMs, @retracted, @record)
         ON CONFLICT(claim_id, statement_id) DO UPDATE SET stance = excluded.stance,
           stated_at_ms = excluded.stated_at_ms, retracted = excluded.retracted, record = excluded.record`,
      ),
      sourcesOfClaim: db.prepare(
        'SELECT source_id FROM rm_claim_sources WHERE claim_id = ? ORDER BY source_id',
      ),
      // Which snapshot, from the (claim_id, position) index alone; its state only when not parsed yet.
      snapshotAt: db
        .prepare(
          `SELECT stream_version, position FROM rm_claim_snapshots
           WHERE claim_id = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
        )
        .safeIntegers(true),
      snapshotState: db
        .prepare('SELECT state FROM rm_claim_snapshots WHERE claim_id = ? AND stream_version = ?')
        .pluck(),
      saveSnapshot: db.prepare(
        `INSERT OR REPLACE INTO rm_claim_snapshots (claim_id, stream_version, position, state) VALUES (?, ?, ?, ?)`,
      ),
    };
  }

  statement(claimId: string, statementId: string): StatementRecord | undefined {
    const row = this.stmt.statement!.get(claimId, statementId) as { record: string } | undefined;
    return row ? decodeStatement(row.record) : undefined;
  }

  liveStatementsOf(claimId: string, sourceId: string): StatementRecord[] {
    return this.records(this.stmt.liveOfSource!.all(claimId, sourceId));
  }

  /** Every statement of one source on a claim, retracted ones included (historical reads). */
  statementsOfSource(claimId: string, sourceId: string): StatementRecord[] {
    return this.records(this.stmt.ofSource!.all(claimId, sourceId));
  }

  /** Every statement of a claim in report order: only for reads that need them all (`statedBefore`). */
  statementsOfClaim(claimId: string): StatementRecord[] {
    return this.records(this.stmt.ofClaim!.all(claimId));
  }

  /** A source's statements across claims, by claim then report order. */
  statementsBySource(sourceId: string): { claimId: string; statement: StatementRecord }[] {
    return (this.stmt.bySource!.all(sourceId) as { claim_id: string; record: string }[]).map((r) => ({
      claimId: r.claim_id,
      statement: decodeStatement(r.record),
    }));
  }

  /** The sources that have spoken on a claim (to resolve a voice into its members). */
  claimSourceIds(claimId: string): string[] {
    return (this.stmt.sourcesOfClaim!.all(claimId) as { source_id: string }[]).map((r) => r.source_id);
  }

  /** A page of a claim's statements in report order (stable under corrections), filtered. */
  statementsPage(claimId: string, filter: StatementFilter): StatementRecord[] {
    const where = ['claim_id = @claimId', 'reported_position > @after'];
    const params: Record<string, unknown> = {
      claimId,
      after: filter.afterPosition ?? 0n,
      limit: filter.limit,
    };
    if (filter.sourceIds !== undefined) {
      if (filter.sourceIds.length === 0) return [];
      where.push(`source_id IN (${filter.sourceIds.map((_, i) => `@s${i}`).join(', ')})`);
      filter.sourceIds.forEach((id, i) => (params[`s${i}`] = id));
    }
    if (filter.stance !== undefined) {
      where.push('stance = @stance');
      params.stance = filter.stance;
    }
    if (filter.state === 'retracted') where.push('retracted = 1');
    if (filter.state === 'live' || filter.state === 'superseded') where.push('retracted = 0');
    if (filter.state === 'superseded' && filter.positionIds !== undefined && filter.positionIds.length > 0) {
      where.push(`statement_id NOT IN (${filter.positionIds.map((_, i) => `@p${i}`).join(', ')})`);
      filter.positionIds.forEach((id, i) => (params[`p${i}`] = id));
    }
    if (filter.statedAfterMs !== undefined) {
      where.push('stated_at_ms >= @statedAfter');
      params.statedAfter = filter.statedAfterMs;
    }
    if (filter.statedBeforeMs !== undefined) {
      where.push('stated_at_ms < @statedBefore');
      params.statedBefore = filter.statedBeforeMs;
    }
    const sql = `SELECT record FROM rm_statements WHERE ${where.join(' AND ')} ORDER BY reported_position LIMIT @limit`;
    return this.records(this.db.prepare(sql).all(params));
  }

  /**
   * The latest snapshot of a claim at or before a position. Its state is shared and frozen (kept
   * parsed, SnapshotStates): a fold copies it before folding into it (foldClaimSince).
   */
  snapshotAt(claimId: string, position: bigint): StoredSnapshot | undefined {
    const row = this.stmt.snapshotAt!.get(claimId, position) as
      { stream_version: bigint; position: bigint } | undefined;
    if (row === undefined) return undefined;
    const streamVersion = Number(row.stream_version);
    const state = this.snapshotStates.get(claimId, streamVersion, () => {
      const text = this.stmt.snapshotState!.get(claimId, streamVersion) as string;
      return { text, state: parse<ClaimReadState>(text) };
    });
    return { streamVersion, position: row.position.toString(), state };
  }

  saveStatement(claimId: string, statement: StatementRecord): void {
    this.stmt.save!.run({
      claimId,
      statementId: statement.statementId,
      sourceId: statement.sourceId,
      reportedPosition: BigInt(statement.reportedPosition),
      stance: statement.current.stance,
      statedAtMs: statedAtMs(statement),
      retracted: statement.retraction === undefined ? 0 : 1,
      record: encodeStatement(statement),
    });
  }

  saveSnapshot(snapshot: ClaimSnapshot): void {
    this.stmt.saveSnapshot!.run(
      snapshot.claimId,
      snapshot.streamVersion,
      BigInt(snapshot.position),
      JSON.stringify(snapshot.state),
    );
  }

  private records(rows: unknown[]): StatementRecord[] {
    return (rows as { record: string }[]).map((r) => decodeStatement(r.record));
  }
}
