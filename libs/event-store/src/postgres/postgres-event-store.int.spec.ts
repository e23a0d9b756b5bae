import { GENESIS_HASH, hashEvent } from '@app/integrity';
import type { Pool, PoolClient } from 'pg';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { InvalidAppendError } from '../core/errors';
import { InMemoryEventStore } from '../memory/in-memory-event-store';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type NewEvent,
  type StoredEvent,
} from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import {
  describeWithPostgres,
  dropSchema,
  probePostgres,
  testPool,
  uniqueSchemaName,
} from './testing/test-database';

// One pool for the whole file; every store gets a schema of its own, dropped after its test.
let shared: Pool | undefined;
const pool = (): Pool => (shared ??= testPool());
afterAll(async () => {
  await shared?.end();
});

if (probePostgres().available) {
  describeEventStoreConformance('PostgresEventStore (own schema)', async () => {
    const schema = uniqueSchemaName();
    const clock = new TestClock();
    const store = new PostgresEventStore(pool(), clock, { schema });
    await store.migrate();
    const cleanup = async () => {
      await store.close();
      await dropSchema(pool(), schema);
    };
    return { store, clock, cleanup };
  });
}

let counter = 0;
function event(data: unknown = {}, streamHint = ''): NewEvent {
  counter += 1;
  return {
    eventId: `pg-evt-${streamHint}${counter}`,
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

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Holds every COMMIT of this pool back by a random few milliseconds: the window in which a
 * sequence-numbered store lets a later position become visible before an earlier one.
 */
function delayCommits(target: Pool, maxMs: number): void {
  const patched = new WeakSet<PoolClient>();
  const connect = target.connect.bind(target) as () => Promise<PoolClient>;
  (target as { connect: () => Promise<PoolClient> }).connect = async () => {
    const client = await connect();
    if (!patched.has(client)) {
      patched.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as any).query = async (...args: unknown[]) => {
        if (args[0] === 'COMMIT') await delay(Math.random() * maxMs);
        return query(...args);
      };
    }
    return client;
  };
}

describeWithPostgres('PostgresEventStore', () => {
  const schemas: string[] = [];
  const pools: Pool[] = [];

  function schemaName(): string {
    const schema = uniqueSchemaName();
    schemas.push(schema);
    return schema;
  }

  function ownPool(): Pool {
    const p = testPool();
    pools.push(p);
    return p;
  }

  const stores: PostgresEventStore[] = [];

  async function openStore(
    schema = schemaName(),
    clock = new TestClock(),
    on: Pool = pool(),
    options: PostgresEventStoreOptions = {},
  ) {
    const store = new PostgresEventStore(on, clock, { ...options, schema });
    stores.push(store);
    await store.migrate();
    return { store, clock, schema };
  }

  afterEach(async () => {
    // Closed before their pools end: a store with onAppended listeners holds a LISTEN client.
    for (const store of stores.splice(0)) await store.close();
    for (const p of pools.splice(0)) await p.end();
    for (const schema of schemas.splice(0)) await dropSchema(pool(), schema);
  });

  it('migrates idempotently and concurrently, recording the schema version once', async () => {
    const schema = schemaName();
    const stores = [0, 1, 2].map(() => new PostgresEventStore(pool(), new TestClock(), { schema }));
    await Promise.all(stores.map((s) => s.migrate()));
    await stores[0]!.migrate();

    const { rows } = await pool().query(`SELECT version FROM "${schema}".event_store_migrations`);
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('fails clearly when used before migrate()', async () => {
    const store = new PostgresEventStore(pool(), new TestClock(), { schema: schemaName() });
    await expect(store.headPosition()).rejects.toThrow(/migrate\(\)/);
    await expect(store.append('claim-1', [event()], 0)).rejects.toThrow(/migrate\(\)/);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PostgresEventStore(pool(), new TestClock(), { schema: 'x"; DROP TABLE y; --' })).toThrow(
      RangeError,
    );
  });

  it('defaults to the connection search_path when no schema is given', async () => {
    const schema = schemaName();
    await pool().query(`CREATE SCHEMA "${schema}"`);
    const onPath = testPool({ options: `-c search_path=${schema}` });
    pools.push(onPath);
    const store = new PostgresEventStore(onPath, new TestClock());
    await store.migrate();
    await store.append('claim-1', [event()], 0);

    expect(await store.schema()).toBe(schema);
    const explicit = new PostgresEventStore(pool(), new TestClock(), { schema });
    expect(await explicit.headPosition()).toBe(1n);
  });

  it('stores the data text exactly as hashed (json, not jsonb) and reads it back identically', async () => {
    const { store, schema } = await openStore();
    const data = { z: 1, a: { y: [1e21, 0.1, -273.15, 1.5e-7], b: 'عشرات الحافلات', nul: 'a\u0000b' } };

    const result = await store.append('claim-1', [event(data)], 0);
    const { rows } = await pool().query<{ data: string }>(
      `SELECT data::text AS data FROM "${schema}".events`,
    );

    expect(rows[0]?.data).toBe(JSON.stringify(data));
    const [read] = await store.readAll();
    expect(read).toEqual(result.events[0]);
    expect(Object.keys(read!.data as object)).toEqual(['z', 'a']);
    expect(read!.metadata.hash).toBe(recompute(read!));
  });

  it('records the same appends with the same hashes as the in-memory (and so the SQLite) store', async () => {
    const { store } = await openStore();
    const memory = new InMemoryEventStore(new TestClock());
    const batches: [string, NewEvent[]][] = [
      ['claim-1', [event({ text: 'عشرات الحافلات', n: [1e21, 0.1] }), event({ b: 1, a: 2 })]],
      ['source-1', [event({ name: 'Talal Silo' })]],
      ['claim-1', [event({ nested: { z: null, y: [true, false] } })]],
    ];
    for (const [streamId, events] of batches) {
      await store.append(streamId, events, 'any');
      await memory.append(streamId, events, 'any');
    }
    expect(await store.readAll()).toEqual(await memory.readAll());
  });

  it('shares one log between pools (two replicas) without caching stream state', async () => {
    const a = await openStore();
    const b = await openStore(a.schema, new TestClock(), ownPool());
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

  it('keeps recordedAt monotonic across replicas whose clocks disagree', async () => {
    const a = await openStore(undefined, new TestClock('2017-10-15T10:00:00.000Z'));
    const b = await openStore(a.schema, new TestClock('2017-10-15T09:00:00.000Z'), ownPool());
    await a.store.append('claim-1', [event()], 0);
    const behind = await b.store.append('claim-2', [event()], 0);
    expect(behind.events[0]?.metadata.recordedAt).toBe('2017-10-15T10:00:00.000Z');
  });

  it('assigns commit-ordered, gap-free positions to concurrent appends from two pools', async () => {
    const a = await openStore();
    const poolB = ownPool();
    delayCommits(poolB, 15);
    // B takes the lock and reads first, then COMMITs late (as a replica of the code before 0024
    // did); A writes each batch in one round trip. Both hold the same lock until their commit.
    const b = await openStore(a.schema, new TestClock(), poolB, { oneRoundTrip: false });
    await expectDenseCommitOrder(a.store, b.store);
  });

  it('keeps positions commit-ordered and gap-free when one-round-trip commits are slow', async () => {
    const a = await openStore();
    const b = await openStore(a.schema, new TestClock(), ownPool());
    // The client cannot hold back a commit that happens inside its one statement: the server
    // does, sleeping up to 15 ms after each insert while the batch holds the append lock.
    await pool().query(`
      CREATE FUNCTION "${a.schema}".slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(random() * 0.015); RETURN NULL; END $$;
      CREATE TRIGGER slow_commit AFTER INSERT ON "${a.schema}".events
        FOR EACH STATEMENT EXECUTE FUNCTION "${a.schema}".slow_commit();`);
    await expectDenseCommitOrder(a.store, b.store);
  });

  /** Two stores append concurrently while a reader pages the log from its checkpoint. */
  async function expectDenseCommitOrder(a: PostgresEventStore, b: PostgresEventStore): Promise<void> {
    const perStore = 30;

    // A catch-up reader pages with `after` from its checkpoint while the writers run, exactly as
    // the projection runner does: every page must continue the previous one without a hole.
    let writing = true;
    const seen: bigint[] = [];
    const reader = (async () => {
      let checkpoint = 0n;
      for (;;) {
        const done = !writing;
        const page = await a.readAll({ after: checkpoint, limit: 7 });
        page.forEach((e, i) => expect(e.position).toBe(checkpoint + BigInt(i + 1)));
        seen.push(...page.map((e) => e.position));
        checkpoint = page.at(-1)?.position ?? checkpoint;
        if (page.length === 0) {
          if (done) return;
          await delay(2);
        }
      }
    })();

    const writes = await Promise.all([
      ...Array.from({ length: perStore }, (_, i) => a.append(`claim-a${i % 4}`, [event({ i })], 'any')),
      ...Array.from({ length: perStore }, (_, i) =>
        b.append(`claim-b${i % 4}`, [event({ i }), event({ i })], 'any'),
      ),
    ]);
    writing = false;
    await reader;

    const total = perStore * 3;
    const expected = Array.from({ length: total }, (_, i) => BigInt(i + 1));
    expect(seen).toEqual(expected);
    const assigned = writes.flatMap((w) => w.events.map((e) => e.position)).sort((x, y) => (x < y ? -1 : 1));
    expect(assigned).toEqual(expected);
    const all = await a.readAll();
    for (const e of all) expect(e.metadata.hash).toBe(recompute(e));
    const times = all.map((e) => e.metadata.recordedAt);
    expect([...times].sort()).toEqual(times);
  }

  it('lets exactly one of two replicas win a race on the same stream version', async () => {
    const a = await openStore();
    const b = await openStore(a.schema, new TestClock(), ownPool());
    await a.store.append('claim-1', [event()], 0);

    const outcomes = await Promise.allSettled([
      a.store.append('claim-1', [event()], 1),
      b.store.append('claim-1', [event()], 1),
    ]);

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await a.store.headPosition()).toBe(2n);
  });

  it('gathers appends issued together into one transaction: one onAppended per batch', async () => {
    const { store } = await openStore();
    const heads: bigint[] = [];
    store.onAppended((head) => heads.push(head));

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append(`claim-${i % 5}`, [event()], Math.floor(i / 5))),
    );

    expect(results.map((r) => r.position)).toEqual(results.map((_, i) => BigInt(i + 1)));
    expect(heads).toEqual([50n]);
  });

  /**
   * Counts the statements a pool's connections are asked to run (`pool.query` runs them on a
   * checked-out client too, so each is counted once).
   */
  function countQueries(target: Pool): { texts: string[] } {
    const seen = { texts: [] as string[] };
    const wrapped = new WeakSet<PoolClient>();
    target.on('acquire', (client: PoolClient) => {
      if (wrapped.has(client)) return;
      wrapped.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as any).query = (...args: unknown[]) => {
        const arg = args[0];
        seen.texts.push(typeof arg === 'string' ? arg : ((arg as { text?: string }).text ?? ''));
        return query(...args);
      };
    });
    return seen;
  }

  it('writes a group commit in one round trip, and plans again when another replica moved a stream', async () => {
    const a = await openStore();
    const poolB = ownPool();
    const b = await openStore(a.schema, new TestClock(), poolB);
    const counted = countQueries(poolB);

    await b.store.append('claim-1', [event()], 0);
    await b.store.append('claim-1', [event(), event()], 1);
    expect(counted.texts).toHaveLength(2);
    expect(counted.texts.every((text) => text.includes('append_events'))).toBe(true);

    // A moves claim-1 on: B's guess (version 3) is wrong; the log answers under the lock, and B's
    // append fails against that answer without another call. B then knows version 4.
    await a.store.append('claim-1', [event()], 'any');
    counted.texts.length = 0;
    await expect(b.store.append('claim-1', [event()], 3)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(counted.texts).toHaveLength(1);
    const next = await b.store.append('claim-1', [event()], 4);
    expect(counted.texts).toHaveLength(2);
    expect(next.position).toBe(5n);
    const stream = await a.store.readStream('claim-1');
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    for (const [i, e] of stream.entries()) {
      expect(e.metadata.prevHash).toBe(i === 0 ? GENESIS_HASH : stream[i - 1]?.metadata.hash);
      expect(e.metadata.hash).toBe(recompute(e));
    }
  });

  it('takes the lock and reads first when its guesses keep missing', async () => {
    const { store, schema } = await openStore();
    await store.append('claim-1', [event()], 0);
    // Another writer keeps the stream moving between the guesses: each call of append_events
    // lands one event of its own first (what a busy replica would do), so both guesses miss.
    const other = new PostgresEventStore(pool(), new TestClock(), { schema, oneRoundTrip: false });
    stores.push(other);
    const mine = pool();
    const query = mine.query.bind(mine) as (...args: unknown[]) => Promise<unknown>;
    let moved = 0;
    (mine as any).query = async (...args: unknown[]) => {
      const text = (args[0] as { text?: string }).text ?? '';
      if (text.includes('append_events') && moved < 2) {
        moved += 1;
        await other.append('claim-1', [event()], 'any');
      }
      return query(...args);
    };
    try {
      const result = await store.append('claim-1', [event()], 'any');
      expect(moved).toBe(2);
      expect(result.streamVersion).toBe(4);
      expect(result.position).toBe(4n);
    } finally {
      (mine as any).query = query;
    }
  });

  it('upgrades a log written before migration 3 and appends to it in one round trip', async () => {
    const { store, schema } = await openStore(undefined, new TestClock(), pool(), { oneRoundTrip: false });
    await store.append('claim-1', [event()], 0);
    // The database as the code before migration 3 left it.
    await pool().query(`DROP FUNCTION "${schema}".append_events;
      DELETE FROM "${schema}".event_store_migrations WHERE version = 3`);

    const upgraded = await openStore(schema);
    const result = await upgraded.store.append('claim-1', [event()], 1);

    expect(result.position).toBe(2n);
    const { rows } = await pool().query(`SELECT version FROM "${schema}".event_store_migrations ORDER BY 1`);
    expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3]);
    const log = await store.readAll();
    expect(log[1]?.metadata.prevHash).toBe(log[0]?.metadata.hash);
    expect(log.map((e) => e.metadata.hash)).toEqual(log.map(recompute));
  });

  it('appends and imports without NOTIFY when notify is off', async () => {
    const schema = schemaName();
    const store = new PostgresEventStore(pool(), new TestClock(), { schema, notify: false });
    stores.push(store);
    await store.migrate();
    const results = await Promise.all([
      store.append('claim-1', [event()], 0),
      store.append('claim-1', [event()], 1),
    ]);
    expect(results.map((r) => r.position)).toEqual([1n, 2n]);
    const source = new InMemoryEventStore(new TestClock());
    await source.append('claim-2', [event()], 0);
    const other = new PostgresEventStore(pool(), new TestClock(), { schema: schemaName(), notify: false });
    stores.push(other);
    await other.migrate();
    await other.importRecorded(await source.readAll());
    expect(await other.headPosition()).toBe(1n);
  });

  it('refuses to update, delete or truncate stored events', async () => {
    const { store, schema } = await openStore();
    await store.append('claim-1', [event()], 0);

    await expect(pool().query(`UPDATE "${schema}".events SET type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pool().query(`DELETE FROM "${schema}".events`)).rejects.toThrow(/append-only/);
    await expect(pool().query(`TRUNCATE "${schema}".events`)).rejects.toThrow(/append-only/);
  });

  it('isolates logs in different schemas', async () => {
    const a = await openStore();
    const b = await openStore();
    await a.store.append('claim-1', [event()], 0);
    expect(await b.store.headPosition()).toBe(0n);
    expect((await b.store.append('claim-1', [event()], 0)).position).toBe(1n);
  });

  describe('importRecorded', () => {
    async function recordedLog(): Promise<StoredEvent[]> {
      const source = new InMemoryEventStore(new TestClock('2017-10-15T09:00:00.000Z'));
      await source.append('claim-1', [event({ text: 'الرقة' }), event()], 0);
      await source.append('source-1', [event()], 0);
      await source.append('claim-1', [event({ n: 1e21 })], 2);
      return source.readAll();
    }

    it('restores a log exactly, and appends continue it', async () => {
      const { store } = await openStore(undefined, new TestClock('2017-10-15T08:00:00.000Z'));
      const log = await recordedLog();
      const heads: bigint[] = [];
      store.onAppended((head) => heads.push(head));

      await store.importRecorded(log.slice(0, 2));
      await store.importRecorded(log.slice(2));

      expect(await store.readAll()).toEqual(log);
      expect(heads).toEqual([2n, 4n]);
      const next = await store.append('claim-1', [event()], 3);
      expect(next.position).toBe(5n);
      expect(next.events[0]?.metadata.prevHash).toBe(log[3]?.metadata.hash);
      expect(next.events[0]?.metadata.recordedAt).toBe(log[3]?.metadata.recordedAt);
    });

    it('rejects a tampered, reordered or repeated batch atomically', async () => {
      const { store } = await openStore();
      const log = await recordedLog();
      const tampered = log.map((e, i) => (i === 2 ? { ...e, data: { forged: true } } : e));

      await expect(store.importRecorded(tampered)).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.importRecorded([log[1]!, log[0]!])).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.headPosition()).toBe(0n);

      await store.importRecorded(log);
      await expect(store.importRecorded(log.slice(3))).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.headPosition()).toBe(4n);
    });

    it('keeps positions beyond 2^53 exact, as bigint', async () => {
      const { store } = await openStore();
      const [first] = await recordedLog();
      await store.importRecorded([{ ...first!, position: 9007199254740993n }]);

      const result = await store.append('claim-1', [event(), event()], 1);

      expect(result.position).toBe(9007199254740995n);
      expect((await store.readAll({ after: 9007199254740994n })).map((e) => e.position)).toEqual([
        9007199254740995n,
      ]);
      expect(await store.headPosition()).toBe(9007199254740995n);
      expect(await store.positionAt('2100-01-01T00:00:00Z')).toBe(9007199254740995n);
      expect(await store.readStream('claim-1', { toPosition: 9007199254740994n })).toHaveLength(2);
    });
  });

  it('reports a duplicate id from another replica as DuplicateEventError', async () => {
    const a = await openStore();
    const b = await openStore(a.schema, new TestClock(), ownPool());
    const original = event();
    await a.store.append('claim-1', [original], 0);
    await expect(b.store.append('claim-2', [{ ...original }], 0)).rejects.toBeInstanceOf(DuplicateEventError);
  });

  it('ends the pool on close() only when it owns it', async () => {
    const schema = schemaName();
    const borrowed = ownPool();
    const store = new PostgresEventStore(borrowed, new TestClock(), { schema });
    await store.migrate();
    await store.close();
    expect(borrowed.ended).toBe(false);

    const owned = testPool();
    const owner = new PostgresEventStore(owned, new TestClock(), { schema, ownsPool: true });
    await owner.close();
    expect(owned.ended).toBe(true);
  });
});
