import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent } from '@app/integrity';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { WrongExpectedVersionError, type NewEvent, type StoredEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { openSqliteDatabase, type Database } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'event-store-'));
}

/** A store on a temp FILE (WAL, fsync) in a not-yet-existing subdirectory. */
function openFileStore(path: string, clock = new TestClock()) {
  const db = openSqliteDatabase(path);
  const store = new SqliteEventStore(db, clock);
  store.migrate();
  return { db, store, clock };
}

describeEventStoreConformance('SqliteEventStore (temp file)', () => {
  const dir = tempDir();
  const { db, store, clock } = openFileStore(join(dir, 'nested', 'ledger.db'));
  const cleanup = async () => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return Promise.resolve({ store, clock, cleanup });
});

describeEventStoreConformance('SqliteEventStore (:memory:)', () => {
  const db = openSqliteDatabase(':memory:');
  const clock = new TestClock();
  const store = new SqliteEventStore(db, clock, { ownsDatabase: true });
  store.migrate();
  return Promise.resolve({ store, clock, cleanup: () => store.close() });
});

let counter = 0;
function event(data: unknown = {}): NewEvent {
  counter += 1;
  return {
    eventId: `sqlite-evt-${counter}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data,
    metadata: { principal: 'desk', correlationId: 'corr' },
  };
}

function recompute(e: StoredEvent): string {
  const { recordedAt, principal, correlationId, causationId, idempotencyKey, prevHash } = e.metadata;
  return hashEvent({
    ...e,
    metadata: { recordedAt, principal, correlationId, causationId, idempotencyKey },
    prevHash,
  });
}

describe('SqliteEventStore on a file', () => {
  let dir: string;
  let path: string;
  const open: Database[] = [];

  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'data', 'ledger.db');
  });

  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function openStore(clock = new TestClock(), busyTimeoutMs?: number) {
    const db = openSqliteDatabase(path, { busyTimeoutMs });
    open.push(db);
    const store = new SqliteEventStore(db, clock);
    store.migrate();
    return { db, store, clock };
  }

  it('opens with WAL, synchronous FULL, a busy timeout and foreign keys, creating the directory', () => {
    const { db } = openStore();

    expect(existsSync(join(dir, 'data'))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('migrates idempotently, recording the schema version once', () => {
    const { db, store } = openStore();
    store.migrate();
    new SqliteEventStore(db, new TestClock()).migrate();

    expect(db.prepare('SELECT version FROM event_store_migrations').pluck().all()).toEqual([1, 2, 3]);
  });

  it('fails clearly when used before migrate()', async () => {
    const db = openSqliteDatabase(':memory:');
    const store = new SqliteEventStore(db, new TestClock());
    await expect(store.headPosition()).rejects.toThrow(/migrate\(\)/);
    db.close();
  });

  it('keeps everything across a reopen and continues versions, positions, the chain and time', async () => {
    const first = openStore(new TestClock('2017-10-15T10:00:00.000Z'));
    await first.store.append('claim-1', [event({ text: 'الرقة' }), event()], 0);
    await first.store.append('claim-2', [event()], 0);
    const before = await first.store.readAll();
    await first.store.close();
    first.db.close();

    // The clock of the new process is behind: recordedAt must still not go backwards.
    const second = openStore(new TestClock('2017-10-15T09:00:00.000Z'));
    expect(await second.store.readAll()).toEqual(before);
    expect(await second.store.headPosition()).toBe(3n);

    const result = await second.store.append('claim-1', [event()], 2);

    expect(result).toMatchObject({ streamVersion: 3, position: 4n });
    expect(result.events[0]?.metadata.prevHash).toBe(before[1]?.metadata.hash);
    expect(result.events[0]?.metadata.recordedAt).toBe('2017-10-15T10:00:00.000Z');
    for (const e of await second.store.readAll()) expect(e.metadata.hash).toBe(recompute(e));
  });

  it('shares one file between connections without caching stream state', async () => {
    const a = openStore();
    const b = openStore();
    await a.store.append('claim-1', [event()], 0);

    await expect(b.store.append('claim-1', [event()], 0)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    const fromB = await b.store.append('claim-1', [event()], 1);
    const fromA = await a.store.append('claim-1', [event()], 2);

    expect([fromB.position, fromA.position]).toEqual([2n, 3n]);
    const stream = await a.store.readStream('claim-1');
    expect(stream.map((e) => e.metadata.prevHash)).toEqual([
      GENESIS_HASH,
      stream[0]?.metadata.hash,
      stream[1]?.metadata.hash,
    ]);
  });

  it('holds the write lock from the version check to the commit: a second connection cannot interleave', async () => {
    const b = openStore(new TestClock(), 50);
    let interleaved: unknown;
    // The clock is read inside A's transaction, after A has checked the version: the moment a
    // racing writer would have to slip in.
    const racingClock = {
      now: () => {
        try {
          b.db.transaction(() => undefined).immediate();
        } catch (error) {
          interleaved = error;
        }
        return new Date('2017-10-15T09:00:00.000Z');
      },
    };
    const a = openStore();
    const racer = new SqliteEventStore(a.db, racingClock);
    await a.store.append('claim-1', [event()], 0);

    await racer.append('claim-1', [event()], 1);

    expect(interleaved).toMatchObject({ code: 'SQLITE_BUSY' });
    await expect(b.store.append('claim-1', [event()], 1)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await b.store.headPosition()).toBe(2n);
  });

  it('gathers appends issued together into one transaction: one onAppended per batch', async () => {
    const { store } = openStore();
    const heads: bigint[] = [];
    store.onAppended((head) => heads.push(head));

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append(`claim-${i % 5}`, [event()], Math.floor(i / 5))),
    );

    expect(results.map((r) => r.position)).toEqual(results.map((_, i) => BigInt(i + 1)));
    expect(heads).toEqual([50n]);
  });

  it('writes appends accepted before close(), and refuses those after', async () => {
    const { store } = openStore();
    const pending = store.append('claim-1', [event()], 0);
    await store.close();
    expect((await pending).position).toBe(1n);
    await expect(store.append('claim-1', [event()], 1)).rejects.toThrow(/closed/);
  });

  it('refuses to append inside an outer transaction on its connection', async () => {
    const { db, store } = openStore();
    db.exec('BEGIN');
    await expect(store.append('claim-1', [event()], 0)).rejects.toThrow(/inside another transaction/);
    db.exec('ROLLBACK');
    expect((await store.append('claim-1', [event()], 0)).position).toBe(1n);
  });

  it('returns positions beyond 2^53 exactly, as bigint', async () => {
    const { db, store } = openStore();
    db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', 9007199254740993)").run();

    const result = await store.append('claim-1', [event(), event()], 0);

    expect(result.position).toBe(9007199254740995n);
    expect((await store.readAll({ after: 9007199254740994n })).map((e) => e.position)).toEqual([
      9007199254740995n,
    ]);
    expect(await store.headPosition()).toBe(9007199254740995n);
    expect(await store.positionAt('2100-01-01T00:00:00Z')).toBe(9007199254740995n);
  });

  it('refuses to update or delete stored events', async () => {
    const { db, store } = openStore();
    await store.append('claim-1', [event()], 0);

    expect(() => db.prepare("UPDATE events SET data = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });

  it('leaves the shared connection open on close() unless it owns it', async () => {
    const shared = openStore();
    await shared.store.close();
    expect(shared.db.open).toBe(true);

    const owned = new SqliteEventStore(shared.db, new TestClock(), { ownsDatabase: true });
    owned.migrate();
    await owned.close();
    expect(shared.db.open).toBe(false);
  });

  it('opens an in-memory database', () => {
    const db = openSqliteDatabase(':memory:');
    expect(db.memory).toBe(true);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
