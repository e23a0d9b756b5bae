import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH } from '@app/integrity';
import { WrongExpectedVersionError, type NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { openSqliteDatabase, type Database } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * A store keeps the tips it committed (TipCache, decision 0035). Whoever else writes the stream —
 * another connection (data_version), another store on the same connection (the UNIQUE index, then
 * the careful path) — must still be seen by the next group commit: the version check, the next
 * version and the hash chain are the log's.
 */
let counter = 0;
function event(): NewEvent {
  counter += 1;
  return {
    eventId: `tip-evt-${counter}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { n: counter },
    metadata: { principal: 'desk', correlationId: 'corr' },
  };
}

describe('SqliteEventStore: tips kept between group commits', () => {
  let dir: string;
  const databases: Database[] = [];
  const stores: SqliteEventStore[] = [];

  const open = (db?: Database) => {
    const database = db ?? openSqliteDatabase(join(dir, 'ledger.db'));
    if (db === undefined) databases.push(database);
    const store = new SqliteEventStore(database, new TestClock());
    store.migrate();
    stores.push(store);
    return { db: database, store };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tip-cache-'));
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const db of databases.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The stream as the log holds it: versions 1..n, each event chained to the one before. */
  async function expectChained(store: SqliteEventStore, streamId: string, versions: number): Promise<void> {
    const events = await store.readStream(streamId);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: versions }, (_, i) => i + 1));
    events.forEach((e, i) =>
      expect(e.metadata.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1]?.metadata.hash),
    );
  }

  it.each([
    ['another connection to the file', false],
    ['another store on the same connection', true],
  ])('sees an append made through %s', async (_name, sameConnection) => {
    const mine = open();
    const theirs = sameConnection ? open(mine.db) : open();
    await mine.store.append('s', [event()], 0);
    await theirs.store.append('s', [event()], 1);

    // What this store last wrote (version 1) is no longer the tip: the check is against the log's 2.
    await expect(mine.store.append('s', [event()], 1)).rejects.toEqual(
      new WrongExpectedVersionError('s', 1, 2),
    );
    const next = await mine.store.append('s', [event()], 2);
    expect(next.streamVersion).toBe(3);
    // The same in a batch of several appends (concurrent calls share one group commit).
    await theirs.store.append('s', [event()], 3);
    const [stale, fresh, other] = await Promise.allSettled([
      mine.store.append('s', [event()], 3),
      mine.store.append('s', [event()], 4),
      mine.store.append('t', [event()], 0),
    ]);
    expect(stale).toMatchObject({ status: 'rejected', reason: new WrongExpectedVersionError('s', 3, 4) });
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { streamVersion: 5 } });
    expect(other).toMatchObject({ status: 'fulfilled', value: { streamVersion: 1 } });
    await expectChained(mine.store, 's', 5);
    expect(await mine.store.headPosition()).toBe(6n);
  });
});
