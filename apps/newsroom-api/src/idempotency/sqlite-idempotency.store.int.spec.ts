import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openSqliteDatabase } from '@app/event-store';
import { describeIdempotencyStore } from './conformance/idempotency-store.conformance';
import { SqliteIdempotencyStore } from './sqlite-idempotency.store';

describeIdempotencyStore('SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idempotency-'));
  const path = join(dir, 'newsroom.db');
  const dbs: Database[] = [];
  const open = () => {
    const db = openSqliteDatabase(path);
    dbs.push(db);
    return Promise.resolve(new SqliteIdempotencyStore(db));
  };
  return {
    open,
    reopen: open,
    cleanup: () => {
      for (const db of dbs) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
});

describe('SqliteIdempotencyStore on a file from an earlier release', () => {
  it('adds the token and owner columns, keeping the keys already recorded', async () => {
    const db = openSqliteDatabase(':memory:');
    db.exec(`CREATE TABLE idempotency_keys (
      key_digest TEXT NOT NULL, idempotency_key TEXT NOT NULL, principal TEXT NOT NULL,
      request_hash TEXT NOT NULL, state TEXT NOT NULL, response TEXT, created_at TEXT NOT NULL,
      PRIMARY KEY (key_digest, idempotency_key)) WITHOUT ROWID`);
    db.prepare(
      `INSERT INTO idempotency_keys VALUES ('d', 'old', 'reporter', 'h', 'complete', '{"status":201,"body":{"id":"s"}}', 'then')`,
    ).run();
    const store = new SqliteIdempotencyStore(db);
    const seen = await store.reserve({
      keyDigest: 'd',
      key: 'old',
      principal: 'reporter',
      fingerprint: 'h',
      reservedAt: 'now',
    });
    expect(seen).toMatchObject({ kind: 'exists', record: { state: 'complete', response: { status: 201 } } });
    // Opening again is a no-op: the migrations are recorded.
    expect(() => new SqliteIdempotencyStore(db)).not.toThrow();
    db.close();
  });
});
