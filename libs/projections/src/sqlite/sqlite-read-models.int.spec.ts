import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqliteDatabase } from '@app/event-store';
import { SqliteReadModels } from './sqlite-read-models';

const FULL = 2;
const NORMAL = 1;

describe('SqliteReadModels transactions (issue 7: no second fsync per request)', () => {
  let dir: string;
  let db: Database;
  let readModels: SqliteReadModels;
  const synchronous = () => db.pragma('synchronous', { simple: true }) as number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rm-sync-'));
    db = openSqliteDatabase(join(dir, 'ledger.db'));
    readModels = new SqliteReadModels(db);
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a batch without an fsync of its own and gives the log back its FULL commits', () => {
    expect(synchronous()).toBe(FULL);
    const inside = readModels.transaction(() => {
      readModels.saveCheckpoint('newsroom', 7n);
      return synchronous();
    });
    expect(inside).toBe(NORMAL);
    expect(synchronous()).toBe(FULL);
    expect(readModels.checkpoint('newsroom')).toBe(7n);
  });

  it('gives FULL back when the batch fails, and commits nothing of it', () => {
    expect(() =>
      readModels.transaction(() => {
        readModels.saveCheckpoint('newsroom', 9n);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(synchronous()).toBe(FULL);
    expect(readModels.checkpoint('newsroom')).toBe(0n);
  });

  it('inside a transaction already open, joins it and leaves the setting alone', () => {
    const inside = db.transaction(() => readModels.transaction(() => synchronous()))();
    expect(inside).toBe(FULL);
    expect(synchronous()).toBe(FULL);
  });
});
