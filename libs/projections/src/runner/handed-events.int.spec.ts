import { randomUUID } from 'node:crypto';
import { deepFreeze, EventCodec } from '@app/claims';
import {
  type AppendResult,
  type Database,
  openSqliteDatabase,
  type ReadAllOptions,
  SqliteEventStore,
  type StoredEvent,
} from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { READ_MODEL_TABLES } from '../sqlite/read-model.schema';
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

/** How a group's append results are handed to the runner. */
type HandOver = 'reversed' | 'gap' | 'none' | 'foreign-write-before';

/**
 * The SQLite writer thread hands the runner the events its appends just committed. The reference
 * is the read-back path: a runner that reads the same log into read models of its own after the
 * same group commits. Both must be byte-identical after every group, whatever the order the
 * results are handed over in, and the runner must read the log whenever the hand-over has a gap.
 */
describe('a projection of handed-over events', () => {
  const codec = new EventCodec();
  let templates: StoredEvent[];

  beforeAll(async () => {
    const source = openSqliteDatabase(':memory:');
    const log = await demoLog(source, { busyClaimStatements: 60, churn: true });
    templates = await log.readAll({ after: 0n, limit: 1_000_000 });
    source.close();
  }, 120_000);

  it('gives the read models and checkpoint of the read-back path, and reads the log on a gap', async () => {
    const db = openSqliteDatabase(':memory:');
    const store = new SqliteEventStore(db, new TestClock(new Date('2026-01-01T00:00:00Z')));
    store.migrate();
    // Another writer on the same file: its events are never handed over.
    const other = new SqliteEventStore(db, new TestClock(new Date('2026-01-01T00:00:00Z')));
    other.migrate();
    /** What each read of the log by the handed-over runner returned (events per read). */
    let reads: number[] = [];
    const counted = Object.create(store) as SqliteEventStore;
    counted.readAll = async (options?: ReadAllOptions) => {
      const events = await store.readAll(options);
      reads.push(events.length);
      return events;
    };
    const handedTo = new ProjectionRunner(counted, new SqliteReadModels(db), (e) => codec.decode(e));
    const referenceDb = openSqliteDatabase(':memory:');
    const reference = new ProjectionRunner(store, new SqliteReadModels(referenceDb), (e) => codec.decode(e));
    await handedTo.catchUp();
    await reference.catchUp();

    const sizes = [1, 4, 7, 2, 9, 3];
    const modes: HandOver[] = ['reversed', 'reversed', 'gap', 'reversed', 'foreign-write-before', 'none'];
    const seen = { handed: 0, readBack: 0 };
    let next = 0;
    for (let group = 0; next < templates.length; group += 1) {
      const mode = modes[group % modes.length]!;
      if (mode === 'foreign-write-before') {
        // A source registered by another process (templates[0] is the demo's first registration).
        const sourceId = randomUUID();
        const registered = { ...templates[0]!, data: { ...(templates[0]!.data as object), sourceId } };
        await other.append(`source-${sourceId}`, [newEvent(registered, randomUUID())], 0);
      }
      const batch = templates.slice(next, next + sizes[group % sizes.length]!);
      next += batch.length;
      // One turn: one group commit, with an append that fails alone (wrong expected version).
      const settled = await Promise.allSettled([
        ...batch.map((t) => store.append(t.streamId, [newEvent(t, t.eventId)], t.streamVersion - 1)),
        store.append(batch[0]!.streamId, [newEvent(batch[0]!, `late-${group}`)], 0),
      ]);
      expect(settled.at(-1)!.status).toBe('rejected');
      const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(results).toHaveLength(batch.length);
      // Frozen: a fold that wrote into an event's data would throw here (the worker posts them back).
      for (const result of handedOrder(results, mode)) handedTo.handOver(deepFreeze(result.events));

      reads = [];
      const head = await store.headPosition();
      expect(await handedTo.catchUp()).toBe(head);
      expect(await reference.catchUp()).toBe(head);
      const readBack = reads.some((n) => n > 0);
      // Handed over densely after the checkpoint: nothing read but the look for more.
      expect(readBack).toBe(mode !== 'reversed');
      seen[readBack ? 'readBack' : 'handed'] += 1;
      expect(dump(db)).toBe(dump(referenceDb));
    }
    expect(seen.handed).toBeGreaterThan(5);
    expect(seen.readBack).toBeGreaterThan(5);
    referenceDb.close();
    db.close();
  }, 60_000);
});

function newEvent(template: StoredEvent, eventId: string) {
  const { principal, correlationId } = template.metadata;
  return {
    eventId,
    type: template.type,
    schemaVersion: template.schemaVersion,
    data: template.data,
    metadata: { principal, correlationId },
  };
}

function handedOrder(results: AppendResult[], mode: HandOver): AppendResult[] {
  switch (mode) {
    case 'reversed':
    case 'foreign-write-before':
      return [...results].reverse();
    case 'gap':
      // The group's first append not handed over (yet): the others must not be projected alone.
      return results.slice(1).reverse();
    case 'none':
      return [];
  }
}
