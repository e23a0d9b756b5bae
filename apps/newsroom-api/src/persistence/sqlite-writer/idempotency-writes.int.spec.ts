import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openSqliteDatabase } from '@app/event-store';
import { SqliteReadModels } from '@app/projections';
import { describeIdempotencyStore } from '../../idempotency/conformance/idempotency-store.conformance';
import type { NewReservation } from '../../idempotency/idempotency.port';
import { SqliteIdempotencyStore } from '../../idempotency/sqlite-idempotency.store';
import { ThreadedIdempotencyStore } from './idempotency-writes';
import { ThreadedSqliteEventStore } from './threaded-sqlite-event-store';

/** A store as the API opens it beside a writer thread: the table made here, the keys written there. */
function threadedHarness() {
  const dir = mkdtempSync(join(tmpdir(), 'threaded-keys-'));
  const path = join(dir, 'newsroom.db');
  const opened: { db: Database; events: ThreadedSqliteEventStore }[] = [];
  const open = async () => {
    const db = openSqliteDatabase(path);
    const events = new ThreadedSqliteEventStore(db, path, { warn: () => {}, error: () => {} });
    opened.push({ db, events });
    events.migrate();
    new SqliteReadModels(db);
    new SqliteIdempotencyStore(db);
    await events.start();
    return new ThreadedIdempotencyStore((call) => events.idempotency(call));
  };
  return {
    open,
    reopen: open,
    cleanup: async () => {
      for (const { db, events } of opened.splice(0)) {
        await events.close();
        if (db.open) db.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeIdempotencyStore('SQLite file, written by the writer thread', threadedHarness);

const entry = (key: string): NewReservation => ({
  keyDigest: 'd'.repeat(64),
  key,
  principal: 'reporter',
  fingerprint: 'f'.repeat(64),
  reservedAt: '2026-11-30T12:00:00.000Z',
});

describe('ThreadedIdempotencyStore: the calls of one turn in one transaction', () => {
  const harness = threadedHarness();
  afterAll(() => harness.cleanup());

  it('answers each call of a turn as if it ran alone, in order', async () => {
    const store = await harness.open();
    // Sent in one turn: they reach the writer as one batch and run in one transaction.
    const [first, second, other] = await Promise.all([
      store.reserve(entry('same')),
      store.reserve(entry('same')),
      store.reserve(entry('other')),
    ]);
    expect(first.kind).toBe('reserved');
    expect(other.kind).toBe('reserved');
    expect(second).toMatchObject({
      kind: 'exists',
      record: { key: 'same', state: 'pending', abandoned: false },
    });
    if (first.kind !== 'reserved' || other.kind !== 'reserved') return;
    const response = { status: 201, body: { id: 'x' }, etag: '"1"' };
    const [completed, released, again] = await Promise.all([
      store.complete(entry('same').keyDigest, 'same', first.token, response),
      store.release(entry('other').keyDigest, 'other', other.token),
      store.reserve(entry('same')),
    ]);
    expect([completed, released]).toEqual([true, true]);
    expect(again).toMatchObject({ kind: 'exists', record: { state: 'complete', response } });
    // This process's own pending keys are not abandoned: the writer holds them.
    expect(await store.abandoned()).toEqual([]);
  });
});
