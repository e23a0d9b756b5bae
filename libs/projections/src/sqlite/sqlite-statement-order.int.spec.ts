import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { StatementRecord } from '@app/claims';
import { openSqliteDatabase } from '@app/event-store';
import { SqliteReadModels } from './sqlite-read-models';

/**
 * Decision 0042: a claim's statements are read, whole or by source, through one index in report
 * order (`rm_statements_order`), and the two it replaced are dropped from files that have them.
 */
const fields = (text: string) => ({
  stance: 'affirms' as const,
  value: true,
  quote: { text, language: 'en' },
  statedAt: { at: '2017-10-14T00:00:00.000Z', precision: 'day' as const },
  attribution: 'on-record' as const,
});

const statement = (statementId: string, sourceId: string, position: number, retracted = false) => {
  const record: StatementRecord = {
    statementId,
    sourceId,
    original: fields(statementId),
    current: fields(statementId),
    reportedPosition: String(position),
    recordedAt: '2017-10-15T09:00:00.000Z',
    corrections: [],
  };
  if (retracted)
    record.retraction = { reason: 'misattributed', position: '99', recordedAt: '2017-10-15T10:00:00.000Z' };
  return record;
};

const indexesOf = (db: Database) =>
  db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rm_statements' AND sql IS NOT NULL`,
    )
    .pluck()
    .all();

describe('statement rows in report order (decision 0042)', () => {
  let dir: string;
  let db: Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rm-order-'));
    db = openSqliteDatabase(join(dir, 'ledger.db'));
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the indexes by report position and by source that earlier code kept', () => {
    new SqliteReadModels(db);
    db.exec(`DROP INDEX rm_statements_order;
      CREATE INDEX rm_statements_reported ON rm_statements(claim_id, reported_position);
      CREATE INDEX rm_statements_claim_source ON rm_statements(claim_id, source_id, retracted);`);
    new SqliteReadModels(db);
    expect(indexesOf(db).sort()).toEqual(['rm_statements_key', 'rm_statements_order']);
  });

  it('answers a source’s statements, live or all, in report order among other sources’', () => {
    const readModels = new SqliteReadModels(db);
    // Reported out of order across two claims and three sources, one statement retracted.
    const rows: [string, StatementRecord][] = [
      ['c1', statement('s5', 'council', 50)],
      ['c1', statement('s1', 'council', 10)],
      ['c1', statement('s2', 'army', 20)],
      ['c1', statement('s3', 'council', 30, true)],
      ['c1', statement('s4', 'wire', 40)],
      ['c2', statement('s6', 'council', 15)],
    ];
    readModels.transaction(() => {
      for (const [claimId, row] of rows) {
        readModels.apply({
          sources: [],
          claims: [],
          claimSources: [{ claimId, sourceId: row.sourceId }],
          statements: [{ claimId, statement: row }],
          snapshots: [],
        });
      }
    });
    const ids = (list: StatementRecord[]) => list.map((s) => s.statementId);
    expect(ids(readModels.statementsOfSource('c1', 'council'))).toEqual(['s1', 's3', 's5']);
    expect(ids(readModels.liveStatementsOf('c1', 'council'))).toEqual(['s1', 's5']);
    expect(ids(readModels.statementsOfClaim('c1'))).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(
      readModels.statementsBySource('council').map((r) => `${r.claimId}/${r.statement.statementId}`),
    ).toEqual(['c1/s1', 'c1/s3', 'c1/s5', 'c2/s6']);
    expect(ids(readModels.statementsPage('c1', { sourceIds: ['army', 'wire'], limit: 10 }))).toEqual([
      's2',
      's4',
    ]);
    expect(ids(readModels.statementsPage('c1', { state: 'retracted', limit: 10 }))).toEqual(['s3']);
    expect(ids(readModels.statementsPage('c1', { afterPosition: 20n, limit: 2 }))).toEqual(['s3', 's4']);
  });
});
