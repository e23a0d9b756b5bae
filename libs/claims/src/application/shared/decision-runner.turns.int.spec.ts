import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore, WrongExpectedVersionError, type EventStore } from '@app/event-store';
import {
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '@app/event-store/postgres/testing/test-database';
import { TestClock } from '@app/event-store/testing';
import { sourceDecider } from '../../domain/source.decider';
import { PreconditionFailedError } from './command-context';
import { DecisionRunner, type DecisionRunnerOptions } from './decision-runner';
import { EventCodec } from './event-codec';

// Two runners, two stores (each with its own pool), one PostgreSQL schema: two API replicas, one
// of which always commits between the other's read and its append (docs/decisions/0033).

const context = { principal: 'reporter-1', correlationId: 'c-1' };
const register = (sourceId: string) => ({
  type: 'RegisterSource' as const,
  data: { sourceId, name: 'Talal Silo', kind: 'person' as const, protected: false },
});
const amend = (sourceId: string, role: string) => ({
  type: 'AmendSource' as const,
  data: { sourceId, changes: { role }, reason: 'title confirmed' },
});

/** Time that passes only when the runner sleeps: no test waits for real. */
function fakeTime() {
  const time = { now: 0, sleeps: [] as number[] };
  const options: DecisionRunnerOptions = {
    now: () => time.now,
    random: () => 0.5,
    sleep: (ms) => {
      time.sleeps.push(ms);
      time.now += ms;
      return Promise.resolve();
    },
  };
  return { time, options };
}

/**
 * After every read of `store` outside a turn, `racer` amends the stream: whatever `store`'s runner
 * decides on what it read, its append loses. Counts the appends and the races lost.
 */
function alwaysOvertaken(store: EventStore, racer: DecisionRunner) {
  const seen = { reads: 0, appends: 0, lost: 0, turns: 0 };
  const read = store.readStream.bind(store);
  jest.spyOn(store, 'readStream').mockImplementation(async (streamId, options) => {
    const events = await read(streamId, options);
    seen.reads++;
    await racer.run(streamId, sourceDecider, amend('s1', `racer-${seen.reads}`), context);
    return events;
  });
  const append = store.append.bind(store);
  jest.spyOn(store, 'append').mockImplementation(async (...args) => {
    seen.appends++;
    try {
      return await append(...args);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) seen.lost++;
      throw error;
    }
  });
  const takeTurn = store.takeTurn?.bind(store);
  if (takeTurn !== undefined) {
    jest.spyOn(store as Required<EventStore>, 'takeTurn').mockImplementation((streamId, work) => {
      seen.turns++;
      return takeTurn(streamId, work);
    });
  }
  return seen;
}

describeWithPostgres('DecisionRunner: stream turns on PostgreSQL', () => {
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];
  let schema: string;
  let admin: Pool;

  beforeAll(() => {
    admin = testPool();
  });
  afterAll(async () => {
    await admin.end();
  });
  beforeEach(() => {
    schema = uniqueSchemaName('runner_turns');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const store of stores.splice(0)) await store.close();
    for (const p of pools.splice(0)) await p.end();
    await dropSchema(admin, schema);
  });

  async function replica(): Promise<PostgresEventStore> {
    const pool = testPool();
    pools.push(pool);
    const store = new PostgresEventStore(pool, new TestClock(), { schema });
    stores.push(store);
    await store.migrate();
    return store;
  }

  it('a command that keeps losing to another replica takes the turn after one loss and goes through; the next ones take it at once', async () => {
    const racerStore = await replica();
    const loserStore = await replica();
    const racer = new DecisionRunner(racerStore, new EventCodec());
    await racer.run('source-s1', sourceDecider, register('s1'), context);
    const seen = alwaysOvertaken(loserStore, racer);
    const { time, options } = fakeTime();
    const loser = new DecisionRunner(loserStore, new EventCodec(), options);

    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await loser.run('source-s1', sourceDecider, amend('s1', `loser-${i}`), context));
    }

    // The first command lost its one plain race, then won in its turn, without a back-off; the
    // next ones on the contended stream went straight to its turn.
    expect(seen).toEqual({ reads: 1, appends: 1, lost: 1, turns: 3 });
    expect(time.sleeps).toEqual([]);
    const log = await racerStore.readAll();
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => BigInt(i + 1)));
    expect(log.map((e) => e.streamVersion)).toEqual(log.map((_, i) => i + 1));
    expect(results.map((r) => r.streamVersion)).toEqual([3, 4, 5]);
  });

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
   * While the other replica holds the stream's turn, `run` on the loser: its plain append is
   * answered busy, it queues for the turn at once (no back-off), and once the held turn commits
   * it decides in its own turn on what that committed (docs/decisions/0043).
   */
  async function whileTheOtherHoldsTheTurn(run: (loser: DecisionRunner) => Promise<unknown>) {
    const racerStore = await replica();
    const loserStore = await replica();
    const racer = new DecisionRunner(racerStore, new EventCodec());
    await racer.run('source-s1', sourceDecider, register('s1'), context);
    const turns = jest.spyOn(loserStore, 'takeTurn');
    const { time, options } = fakeTime();
    const loser = new DecisionRunner(loserStore, new EventCodec(), options);
    const codec = new EventCodec();
    let outcome: Promise<PromiseSettledResult<unknown>[]> | undefined;
    await racerStore.takeTurn('source-s1', async (turn) => {
      const seen = await turn.readStream();
      outcome = Promise.allSettled([run(loser)]);
      await someoneWaitsForALock();
      const state = seen.reduce(
        (folded, event) => sourceDecider.evolve(folded, codec.decode(event) as never),
        sourceDecider.initialState(),
      );
      const decided = sourceDecider.decide(amend('s1', 'in the held turn'), state);
      const events = decided.map((e) => ({ eventId: randomUUID(), ...codec.encode(e), metadata: context }));
      return turn.append(events, seen.length);
    });
    const [result] = (await outcome) ?? [];
    return { result, turns: turns.mock.calls.length, sleeps: time.sleeps, racerStore };
  }

  it('a command answered busy queues for the turn at once and goes through on what the held turn committed', async () => {
    const { result, turns, sleeps, racerStore } = await whileTheOtherHoldsTheTurn((loser) =>
      loser.run('source-s1', sourceDecider, amend('s1', 'loser'), context),
    );

    expect(result).toEqual({ status: 'fulfilled', value: expect.objectContaining({ streamVersion: 3 }) });
    expect(turns).toBe(1);
    expect(sleeps).toEqual([]);
    const log = await racerStore.readAll();
    expect(log.map((e) => e.position)).toEqual([1n, 2n, 3n]);
    expect(log.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('an If-Match answered busy is checked in the turn against what the held turn committed', async () => {
    const { result, turns, racerStore } = await whileTheOtherHoldsTheTurn((loser) =>
      loser.run('source-s1', sourceDecider, amend('s1', 'loser'), { ...context, expectedVersion: 1 }),
    );

    expect(result?.status).toBe('rejected');
    expect(result?.status === 'rejected' ? result.reason : undefined).toBeInstanceOf(PreconditionFailedError);
    expect(turns).toBe(1);
    expect((await racerStore.readAll()).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('without turns (a store that has none, as KurrentDB) the same command gives up after its budget', async () => {
    const racerStore = await replica();
    const loserStore = await replica();
    Object.defineProperty(loserStore, 'takeTurn', { value: undefined });
    const racer = new DecisionRunner(racerStore, new EventCodec());
    await racer.run('source-s1', sourceDecider, register('s1'), context);
    const seen = alwaysOvertaken(loserStore, racer);
    const { time, options } = fakeTime();
    const loser = new DecisionRunner(loserStore, new EventCodec(), { ...options, budgetMs: 100 });

    await expect(loser.run('source-s1', sourceDecider, amend('s1', 'loser'), context)).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(seen.lost).toBe(seen.appends);
    expect(seen.lost).toBeGreaterThan(1);
    expect(time.sleeps.length).toBe(seen.lost - 1);
  });

  it('keeps the cached state right after a turn: the next command decides on what was committed', async () => {
    const racerStore = await replica();
    const loserStore = await replica();
    const racer = new DecisionRunner(racerStore, new EventCodec());
    await racer.run('source-s1', sourceDecider, register('s1'), context);
    const seen = alwaysOvertaken(loserStore, racer);
    const loser = new DecisionRunner(loserStore, new EventCodec(), fakeTime().options);

    await loser.run('source-s1', sourceDecider, amend('s1', 'first'), context);
    jest.restoreAllMocks();
    const next = await loser.run('source-s1', sourceDecider, amend('s1', 'second'), context);

    expect(seen.turns).toBe(1);
    expect(next.streamVersion).toBe(4);
    const { state } = await loser.load('source-s1', sourceDecider);
    const fresh = await new DecisionRunner(racerStore, new EventCodec()).load('source-s1', sourceDecider);
    expect(state).toEqual(fresh.state);
  });
});
