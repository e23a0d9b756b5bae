import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCodec } from '@app/claims';
import {
  type Database,
  openSqliteDatabase,
  SqliteEventStore,
  type StoredEvent,
  systemClock,
} from '@app/event-store';
import { expandLog } from '../../../../bench/auditor/expand-log';
import { projectEvent } from '../newsroom.projection';
import {
  LOADING_VERSION,
  NEWSROOM_CHECKPOINT,
  PROJECTION_VERSION,
  READ_MODEL_TABLES,
} from '../sqlite/read-model.schema';
import { SqliteReadModels } from '../sqlite/sqlite-read-models';
import { decodeStatement } from '../sqlite/sqlite-statement-rows';
import { ProjectionRunner } from './projection-runner';
import { demoLog } from './testing/demo-log';

/** Every row of every read-model table, in key order. */
function dump(db: Database): string {
  return READ_MODEL_TABLES.map((table) => {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).safeIntegers(true).all();
    return `${table}\n${rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).join('\n')}`;
  }).join('\n');
}

/**
 * A rebuild folds large batches in memory and writes each row once (SyncWorkingSet); the reference
 * is the projection applied event by event straight to the store, each event reading what the
 * one before it wrote.
 */
describe('a rebuild in large coalesced batches', () => {
  let dir: string;
  let db: Database;
  let store: SqliteEventStore;
  const codec = new EventCodec();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-coalesced-'));
    db = openSqliteDatabase(join(dir, 'newsroom.db'));
    // 320 statements on one claim, with corrections, retractions and affiliation changes between:
    // snapshots at every 100th event of the claim.
    store = await demoLog(db, { busyClaimStatements: 320, churn: true });
  }, 120_000);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function eventByEvent(log: SqliteEventStore = store): Promise<string> {
    const other = openSqliteDatabase(':memory:');
    const readModels = new SqliteReadModels(other);
    const events = await log.readAll({ after: 0n, limit: 1_000_000 });
    for (const stored of events) {
      readModels.transaction(() =>
        readModels.apply(
          projectEvent(readModels, {
            event: codec.decode(stored) as Parameters<typeof projectEvent>[1]['event'],
            position: stored.position,
            recordedAt: stored.metadata.recordedAt,
            streamVersion: stored.streamVersion,
          }),
        ),
      );
    }
    readModels.transaction(() => {
      readModels.saveCheckpoint(NEWSROOM_CHECKPOINT, events.at(-1)!.position);
      readModels.recordLog({ logId: 'reference', firstEventHash: events[0]!.metadata.hash });
    });
    const rows = dump(other);
    other.close();
    return rows;
  }

  it('writes byte-identical read models, every table, whatever the batch size', async () => {
    const reference = await eventByEvent();
    const types = new Set((await store.readAll({ after: 0n, limit: 1_000_000 })).map((e) => e.type));
    for (const type of ['StatementCorrected', 'StatementRetracted', 'SourceAmended'])
      expect(types).toContain(type);
    expect(reference).toMatch(/rm_claim_snapshots\n.+\n.+\n.+/);
    const head = await store.headPosition();
    for (const batchSize of [undefined, 20_000, 1_000, 97, 1]) {
      const other = openSqliteDatabase(':memory:');
      const runner = new ProjectionRunner(store, new SqliteReadModels(other), (e) => codec.decode(e), {
        batchSize,
      });
      expect(await runner.rebuild()).toBe(head);
      // The log id differs (the reference records a placeholder); every other byte must match.
      const logId = (await store.identity()).logId;
      expect(dump(other).replace(logId, 'reference')).toBe(reference);
      other.close();
    }
  });

  it('rebuilds a generated log (the demo copied with fresh ids, as the bench does) as event by event', async () => {
    const templates: StoredEvent[] = await store.readAll({ after: 0n, limit: 1_000_000 });
    const file = openSqliteDatabase(':memory:');
    const generated = new SqliteEventStore(file, systemClock);
    generated.migrate();
    await generated.importRecorded([...expandLog(templates, templates.length * 3 + 17)]);
    const reference = await eventByEvent(generated);
    const other = openSqliteDatabase(':memory:');
    const runner = new ProjectionRunner(generated, new SqliteReadModels(other), (e) => codec.decode(e));
    expect(await runner.rebuild()).toBe(await generated.headPosition());
    expect(dump(other).replace((await generated.identity()).logId, 'reference')).toBe(reference);
    other.close();
    file.close();
  });

  it('keeps what the reads rely on: the status column of each claim row, the statements of each source', async () => {
    const other = openSqliteDatabase(':memory:');
    const readModels = new SqliteReadModels(other);
    await new ProjectionRunner(store, readModels, (e) => codec.decode(e), { batchSize: 7 }).rebuild();
    const claims = other.prepare('SELECT status, view FROM rm_claims').all() as {
      status: string;
      view: string;
    }[];
    const statuses = new Set(claims.map((c) => c.status));
    expect(statuses.size).toBeGreaterThan(2);
    for (const claim of claims)
      expect(claim.status).toBe((JSON.parse(claim.view) as { status: string }).status);
    // Through rm_claim_sources, as the straight scan by source (the index it replaced) answered.
    const sources = other.prepare('SELECT source_id FROM rm_sources').pluck().all() as string[];
    let statements = 0;
    for (const sourceId of sources) {
      const scanned = other
        .prepare(
          'SELECT claim_id, record FROM rm_statements WHERE source_id = ? ORDER BY claim_id, reported_position',
        )
        .all(sourceId) as { claim_id: string; record: string }[];
      const answered = readModels.statementsBySource(sourceId);
      expect(answered).toEqual(
        scanned.map((r) => ({ claimId: r.claim_id, statement: decodeStatement(r.record) })),
      );
      statements += scanned.length;
    }
    expect(statements).toBe(other.prepare('SELECT count(*) FROM rm_statements').pluck().get());
    other.close();
  });

  const indexesOf = (db: Database) =>
    db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all();

  it('loads a large build without the query-only indexes and creates them at its end', async () => {
    const reference = await eventByEvent();
    const other = openSqliteDatabase(':memory:');
    const readModels = new SqliteReadModels(other);
    const indexes = indexesOf(other);
    let during: { indexes: unknown[]; builtBy: string | undefined } | undefined;
    const decode = (stored: StoredEvent) => {
      if (stored.position === 300n) during = { indexes: indexesOf(other), builtBy: readModels.builtBy() };
      return codec.decode(stored);
    };
    const runner = new ProjectionRunner(store, readModels, decode, {
      batchSize: 97,
      loadWithoutIndexesAbove: 0,
    });
    expect(await runner.rebuild()).toBe(await store.headPosition());
    expect(during!.builtBy).toBe(LOADING_VERSION);
    expect(during!.indexes.length).toBeLessThan(indexes.length);
    expect(indexesOf(other)).toEqual(indexes);
    expect(readModels.builtBy()).toBe(PROJECTION_VERSION);
    expect(dump(other).replace((await store.identity()).logId, 'reference')).toBe(reference);
    other.close();
  });

  it('rebuilds a load cut short (a crash mid-load) when next opened, never serving it as current', async () => {
    const reference = await eventByEvent();
    const file = join(dir, 'cut-short.db');
    const first = openSqliteDatabase(file);
    const crashing = (stored: StoredEvent) => {
      if (stored.position === 300n) throw new Error('crashed mid-load');
      return codec.decode(stored);
    };
    const options = { batchSize: 97, loadWithoutIndexesAbove: 0 };
    await expect(
      new ProjectionRunner(store, new SqliteReadModels(first), crashing, options).rebuild(),
    ).rejects.toThrow('crashed mid-load');
    first.close();
    const reopened = openSqliteDatabase(file);
    const readModels = new SqliteReadModels(reopened);
    expect(readModels.builtBy()).toBe(LOADING_VERSION);
    expect(readModels.checkpoint(NEWSROOM_CHECKPOINT)).toBeGreaterThan(0n);
    const runner = new ProjectionRunner(store, readModels, (e) => codec.decode(e), options);
    expect(await runner.ensureCurrent()).toBe(true);
    expect(readModels.builtBy()).toBe(PROJECTION_VERSION);
    const fresh = openSqliteDatabase(':memory:');
    new SqliteReadModels(fresh);
    expect(indexesOf(reopened)).toEqual(indexesOf(fresh));
    fresh.close();
    expect(dump(reopened).replace((await store.identity()).logId, 'reference')).toBe(reference);
    reopened.close();
  });
});
