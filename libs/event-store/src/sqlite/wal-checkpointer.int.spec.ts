import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

const event = (i: number): NewEvent => ({
  eventId: `wal-${i}`,
  type: 'StatementReported',
  schemaVersion: 1,
  data: { text: 'x'.repeat(2_000), i },
  metadata: { principal: 'desk', correlationId: 'corr' },
});

describe('background WAL checkpoints (checkpointInBackground)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wal-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file from another thread, and leaves the log whole', async () => {
    const path = join(dir, 'ledger.db');
    const db = openSqliteDatabase(path);
    const warnings: string[] = [];
    const store = new SqliteEventStore(db, new TestClock(), {
      checkpointInBackground: true,
      onCheckpointError: (message) => warnings.push(message),
    });
    store.migrate();
    // The main connection checkpoints only as a backstop now, far above what this test writes.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    const before = statSync(path).size;
    for (let i = 0; i < 50; i++) await store.append(`claim-${i % 5}`, [event(i)], Math.floor(i / 5));
    // Every page is in the WAL until a checkpoint copies it back: wait for the worker to do so.
    const deadline = Date.now() + 30_000;
    while (statSync(path).size <= before && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statSync(path).size).toBeGreaterThan(before);
    expect((await store.readAll({ limit: 100 })).map((e) => e.eventId)).toEqual(
      Array.from({ length: 50 }, (_, i) => `wal-${i}`),
    );
    await store.close();
    db.close();
    expect(warnings).toEqual([]);
  });

  it('is not started for an in-memory database, whose automatic checkpoint is left alone', async () => {
    const db = openSqliteDatabase(':memory:');
    const before = db.pragma('wal_autocheckpoint', { simple: true });
    const store = new SqliteEventStore(db, new TestClock(), {
      checkpointInBackground: true,
      ownsDatabase: true,
    });
    store.migrate();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    await store.close();
  });
});
