import { WrongExpectedVersionError, type NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { openSqliteDatabase, type Database } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';
import { EVENT_STORE_SCHEMA_VERSION, migrateEventStore } from './sqlite-schema';
import { prepareStatements } from './sqlite-statements';

/**
 * Decision 0028: the log keeps no `streams` table and no `recorded_at` index. A file migrated by
 * the code before it moves forward without losing a tip or a position, and every query the store
 * runs still finds its rows through an index.
 */
describe('SqliteEventStore schema', () => {
  let counter = 0;
  const event = (): NewEvent => ({
    eventId: `e-${++counter}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { claimId: 'c', n: counter },
    metadata: { principal: 'p', correlationId: 'c' },
  });

  const names = (db: Database, type: string) =>
    db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type);

  /** A file at schema version 2, with the `streams` rows the writer before decision 0028 kept. */
  async function fileAtVersion2(clock: TestClock) {
    const db = openSqliteDatabase(':memory:');
    migrateEventStore(db, 2);
    const older = new SqliteEventStore(db, clock);
    await older.append('claim-1', [event(), event()], 0);
    clock.advance(60_000);
    await older.append('claim-2', [event()], 0);
    await older.close();
    const upsert = db.prepare('INSERT INTO streams (stream_id, version, last_hash) VALUES (?, ?, ?)');
    for (const row of db
      .prepare<[], { stream_id: string; version: number; hash: string }>(
        `SELECT stream_id, stream_version AS version, hash FROM events e
         WHERE stream_version = (SELECT MAX(stream_version) FROM events WHERE stream_id = e.stream_id)`,
      )
      .all()) {
      upsert.run(row.stream_id, row.version, row.hash);
    }
    return db;
  }

  it('takes a version-2 file forward: the streams table and the recorded_at index go, tips stay', async () => {
    const clock = new TestClock('2017-10-15T09:00:00.000Z');
    const db = await fileAtVersion2(clock);
    expect(names(db, 'table')).toContain('streams');
    expect(names(db, 'index')).toContain('events_recorded_at');
    const lastOfClaim1 = db
      .prepare("SELECT hash FROM events WHERE stream_id = 'claim-1' AND stream_version = 2")
      .pluck()
      .get();

    const store = new SqliteEventStore(db, clock, { ownsDatabase: true });
    store.migrate();

    expect(db.prepare('SELECT MAX(version) FROM event_store_migrations').pluck().get()).toBe(
      EVENT_STORE_SCHEMA_VERSION,
    );
    expect(names(db, 'table')).not.toContain('streams');
    expect(names(db, 'index')).not.toContain('events_recorded_at');
    await expect(store.append('claim-1', [event()], 1)).rejects.toEqual(
      new WrongExpectedVersionError('claim-1', 1, 2),
    );
    const next = await store.append('claim-1', [event()], 2);
    expect(next.position).toBe(4n);
    expect(next.events[0]?.metadata.prevHash).toBe(lastOfClaim1);
    expect(await store.positionAt('2017-10-15T09:00:59.999Z')).toBe(2n);
    expect(await store.positionAt('2017-10-15T09:01:00.000Z')).toBe(4n);
    await store.close();
  });

  it('answers positionAt across the gaps an import may leave between positions', async () => {
    const clock = new TestClock('2017-10-15T09:00:00.000Z');
    const source = new SqliteEventStore(openSqliteDatabase(':memory:'), clock, { ownsDatabase: true });
    source.migrate();
    for (let i = 0; i < 3; i++) {
      await source.append(`claim-${i}`, [event()], 0);
      clock.advance(60_000);
    }
    const recorded = (await source.readAll()).map((e, i) => ({ ...e, position: BigInt(1 + 4 * i) }));
    await source.close();
    const store = new SqliteEventStore(openSqliteDatabase(':memory:'), clock, { ownsDatabase: true });
    store.migrate();
    await store.importRecorded(recorded);

    const at = (instant: string) => store.positionAt(instant);
    expect(await at('2017-10-15T08:59:59.999Z')).toBe(0n);
    expect(await at('2017-10-15T09:00:00.000Z')).toBe(1n);
    expect(await at('2017-10-15T09:01:30.000Z')).toBe(5n);
    expect(await at('2017-10-15T09:02:00.000Z')).toBe(9n);
    expect(await at('2100-01-01T00:00:00.000Z')).toBe(9n);
    await store.close();
  });

  it('finds the rows of every query through an index or the rowid, never by sorting', () => {
    const db = openSqliteDatabase(':memory:');
    migrateEventStore(db);
    const plans = Object.entries(prepareStatements(db))
      .filter(([, statement]) => statement.reader)
      .map(([name, statement]) => {
        const params = statement.source.includes('@')
          ? [Object.fromEntries([...statement.source.matchAll(/@(\w+)/g)].map((m) => [m[1], 1]))]
          : Array.from(statement.source.matchAll(/\?/g), () => 1);
        const steps = db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${statement.source}`)
          .all(...params)
          .map((step) => step.detail);
        return { name, steps };
      });

    expect(plans.length).toBeGreaterThan(5);
    for (const { name, steps } of plans) {
      // Each statement seeks its rows; none walks a table of ours or sorts. The one scan allowed
      // is the newest row in rowid order (ORDER BY position DESC LIMIT 1), which stops at once.
      const defects = steps.filter(
        (step) =>
          /TEMP B-TREE/.test(step) ||
          (/^SCAN (events|log_identity)\b/.test(step) &&
            !(name === 'lastRecordedAt' && step === 'SCAN events')),
      );
      expect({ name, defects, seeks: steps.some((step) => step.startsWith('SEARCH events')) }).toEqual({
        name,
        defects: [],
        seeks: name !== 'logId' && name !== 'lastRecordedAt',
      });
    }
    db.close();
  });
});
