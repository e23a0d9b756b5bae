import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCodec } from '@app/claims';
import { type Database, openSqliteDatabase, type SqliteEventStore } from '@app/event-store';
import { READ_MODEL_TABLES } from '../sqlite/read-model.schema';
import { SqliteReadModels } from '../sqlite/sqlite-read-models';
import { ProjectionRunner } from './projection-runner';
import { asyncSqliteReadModels } from './testing/async-sqlite-read-models';
import { demoLog } from './testing/demo-log';

/** Every row of every read-model table, in key order: what "byte for byte" compares. */
function dump(db: Database): string {
  return READ_MODEL_TABLES.map((table) => {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).safeIntegers(true).all();
    return `${table}\n${rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).join('\n')}`;
  }).join('\n');
}

describe('the newsroom projection on SQLite', () => {
  let dir: string;
  let db: Database;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-projection-'));
    db = openSqliteDatabase(join(dir, 'newsroom.db'));
    store = await demoLog(db);
    const codec = new EventCodec();
    runner = new ProjectionRunner(store, new SqliteReadModels(db), (e) => codec.decode(e));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up to the head and records the checkpoint with the read models', async () => {
    const head = await store.headPosition();
    expect(await runner.catchUp()).toBe(head);
    expect(runner.position).toBe(head);
  });

  it('rebuilds from the log to the same read models, byte for byte', async () => {
    await runner.catchUp();
    const incremental = dump(db);
    await runner.rebuild();
    expect(dump(db)).toBe(incremental);
    expect(incremental).toContain('rm_claims');
    expect(incremental.split('\n').length).toBeGreaterThan(100);
  });

  it('projects to the same read models whatever the batch size, resuming from each checkpoint', async () => {
    await runner.catchUp();
    const whole = dump(db);
    const codec = new EventCodec();
    const smallBatches = new ProjectionRunner(store, new SqliteReadModels(db), (e) => codec.decode(e), {
      batchSize: 7,
    });
    await smallBatches.rebuild();
    expect(dump(db)).toBe(whole);
  });

  it('projects the same rows through the asynchronous port (working set, lazy writes), in any batch size', async () => {
    await runner.catchUp();
    const whole = dump(db);
    const codec = new EventCodec();
    for (const batchSize of [1, 5, 500]) {
      const other = openSqliteDatabase(':memory:');
      const readModels = asyncSqliteReadModels(other);
      const viaWorkingSet = new ProjectionRunner(store, readModels, (e) => codec.decode(e), { batchSize });
      expect(await viaWorkingSet.catchUp()).toBe(await store.headPosition());
      // The log identity is recorded in both; the rows must match byte for byte.
      expect(dump(other)).toBe(whole);
      expect(await viaWorkingSet.projectedPosition()).toBe(runner.position);
      other.close();
    }
  });

  it('rebuilds read models of another log, records the log, and leaves them alone on the same log', async () => {
    const warnings: string[] = [];
    const other = openSqliteDatabase(':memory:');
    const readModels = new SqliteReadModels(other);
    const codec = new EventCodec();
    const fresh = new ProjectionRunner(store, readModels, (e) => codec.decode(e), {
      warn: (m) => warnings.push(m),
    });
    await fresh.catchUp();
    const log = await store.identity();
    expect(readModels.builtFrom()).toEqual(log);
    await fresh.catchUp();
    expect(warnings).toEqual([]);
    readModels.recordLog({ logId: 'another-log', firstEventHash: null });
    await fresh.catchUp();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('another-log');
    expect(warnings[0]).toContain(log.logId);
    expect(readModels.builtFrom()).toEqual(log);
    expect(dump(other)).toBe(dump(db));
    other.close();
  });

  it('never interleaves a rebuild with catch-ups asked for meanwhile', async () => {
    await runner.catchUp();
    const whole = dump(db);
    const head = await store.headPosition();
    const results = await Promise.all([
      runner.catchUp(),
      runner.rebuild(),
      runner.catchUp(),
      runner.catchUp(),
    ]);
    expect(results.every((position) => position === head)).toBe(true);
    expect(dump(db)).toBe(whole);
  });

  it('rebuilds at start read models that older projection code built, and leaves current ones alone', async () => {
    await runner.catchUp();
    const whole = dump(db);
    expect(await runner.ensureCurrent()).toBe(false);
    // As if an older release had built them: same checkpoint, different code, stale rows.
    db.prepare(`UPDATE rm_meta SET value = 'older' WHERE key = 'projection_version'`).run();
    db.prepare(`UPDATE rm_claims SET view = '{}'`).run();
    expect(await runner.ensureCurrent()).toBe(true);
    expect(dump(db)).toBe(whole);
  });

  it('drops read models whose tables an older release wrote before preparing anything against them', async () => {
    const old = openSqliteDatabase(':memory:');
    old.exec(`CREATE TABLE rm_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO rm_meta VALUES ('projection_version', '2');
      INSERT INTO rm_checkpoints VALUES ('newsroom', 74);
      CREATE TABLE rm_sources (source_id TEXT PRIMARY KEY, affiliation_id TEXT, record TEXT NOT NULL);`);
    const readModels = new SqliteReadModels(old);
    expect(readModels.droppedStale).toBe(true);
    expect(readModels.checkpoint('newsroom')).toBe(0n);
    expect(readModels.listSources({ limit: 1 })).toEqual([]);
    const codec = new EventCodec();
    const fresh = new ProjectionRunner(store, readModels, (e) => codec.decode(e));
    expect(await fresh.ensureCurrent()).toBe(false);
    expect(await fresh.catchUp()).toBe(await store.headPosition());
    old.close();
  });

  it('drops the stored timeline of read models built before it was read from the log (version 9)', async () => {
    const old = openSqliteDatabase(':memory:');
    old.exec(`CREATE TABLE rm_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO rm_meta VALUES ('projection_version', '9');
      INSERT INTO rm_checkpoints VALUES ('newsroom', 74);
      CREATE TABLE rm_timeline (claim_id TEXT NOT NULL, position INTEGER PRIMARY KEY, entry TEXT NOT NULL);
      INSERT INTO rm_timeline VALUES ('c1', 1, '{}');`);
    const tables = () =>
      (
        old.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm_%'`).all() as {
          name: string;
        }[]
      ).map((r) => r.name);
    expect(tables()).toContain('rm_timeline');
    const readModels = new SqliteReadModels(old);
    expect(readModels.droppedStale).toBe(true);
    expect(tables().sort()).toEqual([...READ_MODEL_TABLES].sort());
    const codec = new EventCodec();
    expect(await new ProjectionRunner(store, readModels, (e) => codec.decode(e)).catchUp()).toBe(
      await store.headPosition(),
    );
    expect(dump(old)).toBe(dump(db));
    old.close();
  });
});
