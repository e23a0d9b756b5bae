import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Database,
  DuplicateEventError,
  EventStoreClosedError,
  type NewEvent,
  openSqliteDatabase,
  WrongExpectedVersionError,
} from '@app/event-store';
import { NEWSROOM_PROJECTION, SqliteReadModels } from '@app/projections';
import { ThreadedSqliteEventStore } from './threaded-sqlite-event-store';

const event = (sourceId: string, eventId: string = randomUUID()): NewEvent => ({
  eventId,
  type: 'SourceRegistered',
  schemaVersion: 1,
  data: { sourceId, name: `Source ${sourceId}`, kind: 'group', protected: false },
  metadata: { principal: 'test', correlationId: 'c-1' },
});

describe('ThreadedSqliteEventStore (writes on a worker thread)', () => {
  let dir: string;
  let db: Database;
  let store: ThreadedSqliteEventStore;
  const logged: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threaded-store-'));
    db = openSqliteDatabase(join(dir, 'n.db'));
    store = new ThreadedSqliteEventStore(db, join(dir, 'n.db'), {
      warn: (m) => logged.push(m),
      error: (m) => logged.push(m),
    });
    store.migrate();
    new SqliteReadModels(db);
    await store.start();
  });

  afterEach(async () => {
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks each concurrent append on its own: one winner per expected version, positions dense', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.append(`source-${i % 5}`, [event(`s${i}`)], 'any')),
    );
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const racing = await Promise.allSettled([
      store.append('source-0', [event('x')], 4),
      store.append('source-0', [event('y')], 4),
    ]);
    expect(racing.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = racing.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(lost.reason).toMatchObject({ streamId: 'source-0', expected: 4, actual: 5 });

    // Read here, on the main thread's connection: every commit of the writer is visible.
    const all = await store.readAll({ after: 0n, limit: 100 });
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 21 }, (_, i) => BigInt(i + 1)));
    expect((await store.readStream('source-0')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the error classes across the thread: a repeated event id is a DuplicateEventError', async () => {
    await store.append('source-a', [event('a', '00000000-0000-4000-8000-000000000001')], 0);
    await expect(
      store.append('source-b', [event('b', '00000000-0000-4000-8000-000000000001')], 0),
    ).rejects.toBeInstanceOf(DuplicateEventError);
  });

  it('announces the commit before the append resolves, and resolves the wait once it is projected', async () => {
    const heads: bigint[] = [];
    store.onAppended((head) => heads.push(head));
    const appending = store.append('source-p', [event('p')], 0).then((result) => {
      expect(heads).toEqual([result.position]);
      return result;
    });
    const { position } = await appending;
    await expect(store.waitForProjection(position, 10_000)).resolves.toBe(true);
    // The writer committed the read models with their checkpoint before saying so.
    const readModels = new SqliteReadModels(db);
    expect(readModels.checkpoint(NEWSROOM_PROJECTION)).toBeGreaterThanOrEqual(position);
    expect(readModels.source('p')).toMatchObject({ sourceId: 'p', name: 'Source p' });
  });

  it('gives up a wait for a position never appended after its timeout', async () => {
    await expect(store.waitForProjection(1_000n, 10)).resolves.toBe(false);
  });

  it('writes what was accepted before close(), and refuses appends after it', async () => {
    const accepted = store.append('source-c', [event('c')], 0);
    await store.close();
    await expect(accepted).resolves.toMatchObject({ streamVersion: 1 });
    await expect(store.append('source-d', [event('d')], 0)).rejects.toBeInstanceOf(EventStoreClosedError);
    const reopened = openSqliteDatabase(join(dir, 'n.db'));
    try {
      expect(reopened.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    } finally {
      reopened.close();
    }
  });
});
