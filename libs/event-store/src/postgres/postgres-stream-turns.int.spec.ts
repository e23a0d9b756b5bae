import type { Pool } from 'pg';
import { StreamBusyError, WrongExpectedVersionError, type NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { appendEventsFunction } from './postgres-append-function';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import { streamLockSpace } from './postgres-stream-locks';
import { describeWithPostgres, dropSchema, testPool, uniqueSchemaName } from './testing/test-database';

// Per-stream turns (docs/decisions/0033): two stores on one schema, each with its own pool, stand
// for two API replicas on one database.

let counter = 0;
function event(): NewEvent {
  counter += 1;
  return {
    eventId: `turn-evt-${counter}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data: { n: counter },
    metadata: { principal: 'desk', correlationId: 'corr' },
  };
}

/** Deterministic uniform numbers in [0, 1) (mulberry32): a failing interleaving replays. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describeWithPostgres('PostgresEventStore stream turns', () => {
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];
  const schemas: string[] = [];
  let admin: Pool;

  beforeAll(() => {
    admin = testPool();
  });
  afterAll(async () => {
    await admin.end();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const p of pools.splice(0)) await p.end();
    for (const schema of schemas.splice(0)) await dropSchema(admin, schema);
  });

  async function replica(schema: string, options: PostgresEventStoreOptions = {}) {
    const pool = testPool();
    pools.push(pool);
    const store = new PostgresEventStore(pool, new TestClock(), { ...options, schema });
    stores.push(store);
    await store.migrate();
    return store;
  }

  async function twoReplicas(options: PostgresEventStoreOptions = {}) {
    const schema = uniqueSchemaName();
    schemas.push(schema);
    return { schema, a: await replica(schema, options), b: await replica(schema, options) };
  }

  /** One event appended to `stream` whatever its version, again each time it is answered busy. */
  async function appendAnyway(store: PostgresEventStore, stream: string): Promise<unknown> {
    for (;;) {
      try {
        return await store.append(stream, [event()], 'any');
      } catch (error) {
        if (!(error instanceof StreamBusyError)) throw error;
      }
    }
  }

  /** Until a session of the database waits for an advisory lock (no clock: polls the server). */
  async function someoneWaitsForALock(): Promise<void> {
    for (;;) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * B holds claim-1's turn while A appends to claim-1 (with the version both saw) and to claim-2 in
   * one group commit: A's batch does not wait for the turn. Its claim-2 append commits while the
   * turn is still held, its claim-1 append is answered busy with nothing written, and B's append
   * made in the turn wins (docs/decisions/0043).
   */
  async function racerIsBusy(a: PostgresEventStore, b: PostgresEventStore): Promise<void> {
    const before = await a.headPosition();
    await a.append('claim-1', [event()], 0);
    let racer: PromiseSettledResult<unknown> | undefined;
    const won = await b.takeTurn('claim-1', async (turn) => {
      const seen = await turn.readStream();
      const [hot, cold] = await Promise.allSettled([
        a.append('claim-1', [event()], seen.length),
        a.append('claim-2', [event()], 0),
      ]);
      racer = hot;
      // Committed while the turn is held: readable from a third session.
      expect(cold?.status).toBe('fulfilled');
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${await a.schema()}".events
        WHERE stream_id = 'claim-2'`);
      expect(rows).toEqual([{ n: 1 }]);
      return turn.append([event()], seen.length);
    });

    expect(won.streamVersion).toBe(2);
    expect(racer?.status).toBe('rejected');
    const reason: unknown = racer?.status === 'rejected' ? racer.reason : undefined;
    expect(reason).toBeInstanceOf(StreamBusyError);
    expect(reason).toBeInstanceOf(WrongExpectedVersionError);
    const log = await a.readAll();
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => BigInt(i + 1)));
    expect(BigInt(log.length)).toBe(before + 3n);
    expect(log.filter((e) => e.streamId === 'claim-1').map((e) => e.streamVersion)).toEqual([1, 2]);
    const claim1 = log.filter((e) => e.streamId === 'claim-1');
    expect(claim1[1]?.metadata.prevHash).toBe(claim1[0]?.metadata.hash);
  }

  it("answers another replica's append busy while a stream's turn is held, and commits the rest of its batch", async () => {
    const { a, b } = await twoReplicas();
    await racerIsBusy(a, b);
  });

  it('answers busy on the locked path (guesses off) too', async () => {
    const { a, b } = await twoReplicas({ oneRoundTrip: false });
    await racerIsBusy(a, b);
  });

  it("makes a turn wait while a batch holds the stream's lock, then read what it committed", async () => {
    const { schema, a } = await twoReplicas();
    await a.append('claim-1', [event()], 0);
    // A batch of another replica between its try-lock and its COMMIT, held open by hand.
    const batch = await admin.connect();
    try {
      await batch.query(
        `BEGIN; SELECT pg_try_advisory_xact_lock(${streamLockSpace(`"${schema}"`)}, hashtext('claim-1'))`,
      );
      const turn = a.takeTurn('claim-1', async (t) => {
        const seen = await t.readStream();
        return t.append([event()], seen.length);
      });
      await someoneWaitsForALock();
      await batch.query('COMMIT');
      expect((await turn).streamVersion).toBe(2);
    } finally {
      batch.release();
    }
  });

  it('reads in a turn from a version, ends the turn with its append, and refuses a second one', async () => {
    const { a, b } = await twoReplicas();
    await a.append('claim-1', [event(), event()], 0);
    await expect(
      a.takeTurn('claim-1', async (turn) => {
        expect((await turn.readStream({ fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([2]);
        await turn.append([event()], 2);
        // Committed as the append returned: the stream's lock (and the log's) are free again.
        expect((await b.append('claim-1', [event()], 3)).streamVersion).toBe(4);
        return turn.append([event()], 4);
      }),
    ).rejects.toThrow('appends once');
    expect((await a.readStream('claim-1')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
  });

  it('rolls a turn back whole when its work throws before appending', async () => {
    const { a } = await twoReplicas();
    await a.append('claim-1', [event()], 0);
    await expect(
      a.takeTurn('claim-1', async (turn) => {
        await turn.readStream();
        throw new Error('decided nothing');
      }),
    ).rejects.toThrow('decided nothing');
    expect((await a.append('claim-1', [event()], 1)).streamVersion).toBe(2);
  });

  it('never deadlocks batches of many streams against turns from two replicas; positions stay dense; each event once', async () => {
    const { schema, a, b } = await twoReplicas();
    const locked = await replica(schema, { oneRoundTrip: false });
    const random = seeded(33);
    const streams = ['s1', 's2', 's3', 's4', 's5'];
    const pick = () => streams[Math.floor(random() * streams.length)] ?? 's1';
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      const store = [a, b, locked][i % 3] ?? a;
      const stream = pick();
      if (i % 4 === 0) {
        // A turn: read to the tip, append after it. It cannot lose.
        work.push(
          store.takeTurn(stream, async (turn) => turn.append([event()], (await turn.readStream()).length)),
        );
      } else {
        // Appends issued together share a group commit spanning several streams.
        // Answered busy while a turn holds the stream: appended again until it goes through.
        work.push(appendAnyway(store, stream), appendAnyway(store, pick()));
      }
    }
    const outcomes = await Promise.allSettled(work);

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const log = await a.readAll({ limit: 1000 });
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => BigInt(i + 1)));
    expect(log).toHaveLength(work.length);
    expect(new Set(log.map((e) => e.eventId)).size).toBe(log.length);
    for (const stream of streams) {
      const versions = log.filter((e) => e.streamId === stream).map((e) => e.streamVersion);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it('upgrades a log written before migration 4: its appends are then answered busy during turns', async () => {
    const schema = uniqueSchemaName();
    schemas.push(schema);
    const old = await replica(schema);
    await old.append('claim-0', [event()], 0);
    // The database as the code before migration 4 left it: migration 3's function, version 3.
    await admin.query(`DROP FUNCTION "${schema}".append_events;
      ${appendEventsFunction(`"${schema}"`)}
      DELETE FROM "${schema}".event_store_migrations WHERE version = 4`);

    const a = await replica(schema);
    const b = await replica(schema);
    const { rows } = await admin.query(`SELECT version FROM "${schema}".event_store_migrations ORDER BY 1`);
    expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4]);
    await a.append('claim-0', [event()], 1);
    await racerIsBusy(a, b);
  });
});
