import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCodec } from '@app/claims';
import { type Database, openSqliteDatabase, type SqliteEventStore } from '@app/event-store';
import { projectEvent } from '../newsroom.projection';
import { NEWSROOM_CHECKPOINT, READ_MODEL_TABLES } from '../sqlite/read-model.schema';
import { SqliteReadModels } from '../sqlite/sqlite-read-models';
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

  async function eventByEvent(): Promise<string> {
    const other = openSqliteDatabase(':memory:');
    const readModels = new SqliteReadModels(other);
    const events = await store.readAll({ after: 0n, limit: 1_000_000 });
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
});
