import type { QueryResultRow } from 'pg';
import type { ClaimReadState, StatementRecord } from '@app/claims';
import { parse } from '../port/json-column';
import type { StatementFilter, StoredSnapshot } from '../sqlite/sqlite-statement-rows';

interface Runs {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const records = (rows: { record: string }[]) => rows.map((r) => parse<StatementRecord>(r.record));

/**
 * A claim's history as rows on PostgreSQL: the same queries as ../sqlite/sqlite-statement-rows.ts,
 * in the same orders, over the same tables.
 */
export class PostgresStatementRows {
  constructor(
    private readonly db: Runs,
    private readonly s: string,
  ) {}

  async statement(claimId: string, statementId: string): Promise<StatementRecord | undefined> {
    const { rows } = await this.db.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_statements WHERE claim_id = $1 AND statement_id = $2`,
      [claimId, statementId],
    );
    return rows[0] ? parse<StatementRecord>(rows[0].record) : undefined;
  }

  async liveStatementsOf(claimId: string, sourceId: string): Promise<StatementRecord[]> {
    const { rows } = await this.db.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_statements WHERE claim_id = $1 AND source_id = $2 AND retracted = 0
       ORDER BY reported_position`,
      [claimId, sourceId],
    );
    return records(rows);
  }

  async statementsOfSource(claimId: string, sourceId: string): Promise<StatementRecord[]> {
    const { rows } = await this.db.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_statements WHERE claim_id = $1 AND source_id = $2 ORDER BY reported_position`,
      [claimId, sourceId],
    );
    return records(rows);
  }

  async statementsOfClaim(claimId: string): Promise<StatementRecord[]> {
    const { rows } = await this.db.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_statements WHERE claim_id = $1 ORDER BY reported_position`,
      [claimId],
    );
    return records(rows);
  }

  async statementsBySource(sourceId: string): Promise<{ claimId: string; statement: StatementRecord }[]> {
    const { rows } = await this.db.query<{ claim_id: string; record: string }>(
      `SELECT claim_id, record FROM ${this.s}.rm_statements WHERE source_id = $1 ORDER BY claim_id, reported_position`,
      [sourceId],
    );
    return rows.map((r) => ({ claimId: r.claim_id, statement: parse<StatementRecord>(r.record) }));
  }

  async claimSourceIds(claimId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ source_id: string }>(
      `SELECT source_id FROM ${this.s}.rm_claim_sources WHERE claim_id = $1 ORDER BY source_id`,
      [claimId],
    );
    return rows.map((r) => r.source_id);
  }

  async statementsPage(claimId: string, filter: StatementFilter): Promise<StatementRecord[]> {
    const values: unknown[] = [claimId, (filter.afterPosition ?? 0n).toString(), filter.limit];
    const where = ['claim_id = $1', 'reported_position > $2::bigint'];
    const add = (value: unknown, condition: (p: string) => string) => {
      values.push(value);
      where.push(condition(`$${values.length}`));
    };
    if (filter.sourceIds !== undefined) {
      if (filter.sourceIds.length === 0) return [];
      add([...filter.sourceIds], (p) => `source_id = ANY(${p}::text[])`);
    }
    if (filter.stance !== undefined) add(filter.stance, (p) => `stance = ${p}`);
    if (filter.state === 'retracted') where.push('retracted = 1');
    if (filter.state === 'live' || filter.state === 'superseded') where.push('retracted = 0');
    if (filter.state === 'superseded' && filter.positionIds !== undefined && filter.positionIds.length > 0)
      add([...filter.positionIds], (p) => `statement_id <> ALL(${p}::text[])`);
    if (filter.statedAfterMs !== undefined) add(filter.statedAfterMs, (p) => `stated_at_ms >= ${p}`);
    if (filter.statedBeforeMs !== undefined) add(filter.statedBeforeMs, (p) => `stated_at_ms < ${p}`);
    const { rows } = await this.db.query<{ record: string }>(
      `SELECT record FROM ${this.s}.rm_statements WHERE ${where.join(' AND ')} ORDER BY reported_position LIMIT $3`,
      values,
    );
    return records(rows);
  }

  async snapshotAt(claimId: string, position: bigint): Promise<StoredSnapshot | undefined> {
    const { rows } = await this.db.query<{ stream_version: number; position: string; state: string }>(
      `SELECT stream_version, position::text AS position, state FROM ${this.s}.rm_claim_snapshots
       WHERE claim_id = $1 AND position <= $2::bigint ORDER BY position DESC LIMIT 1`,
      [claimId, position.toString()],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      streamVersion: row.stream_version,
      position: row.position,
      state: parse<ClaimReadState>(row.state),
    };
  }
}
