import { InMemoryEventStore, WrongExpectedVersionError, type EventStore } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { sourceDecider } from '../../domain/source.decider';
import { DecisionRunner, type DecisionRunnerOptions } from './decision-runner';
import { EventCodec } from './event-codec';
import { DEFAULT_RETRY_POLICY } from './retry-policy';

const context = { principal: 'reporter-1', correlationId: 'c-1' };
const register = (sourceId: string) => ({
  type: 'RegisterSource' as const,
  data: { sourceId, name: 'Talal Silo', kind: 'person' as const, protected: false },
});
const amend = (sourceId: string, role: string) => ({
  type: 'AmendSource' as const,
  data: { sourceId, changes: { role }, reason: 'title confirmed' },
});

/** Counts what the store answered to each append: the runner must not see races it can avoid. */
function watchAppends(store: EventStore): { calls: number; lost: number } {
  const seen = { calls: 0, lost: 0 };
  const append = store.append.bind(store);
  jest.spyOn(store, 'append').mockImplementation(async (...args) => {
    seen.calls++;
    try {
      return await append(...args);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) seen.lost++;
      throw error;
    }
  });
  return seen;
}

/** Time that passes only when the runner sleeps: no test waits for real. */
function fakeTime(random: () => number = () => 0.5) {
  const time = { now: 0, sleeps: [] as number[] };
  const options: DecisionRunnerOptions = {
    now: () => time.now,
    random,
    sleep: (ms) => {
      time.sleeps.push(ms);
      time.now += ms;
      // Yield a full turn so the other runner's work interleaves, as another process's would.
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { time, options };
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so a failing interleaving replays. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('DecisionRunner on a hot stream', () => {
  it('queues 50 concurrent commands on one stream: all succeed, in arrival order, without one lost race', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const seen = watchAppends(store);
    const { time, options } = fakeTime();
    const runner = new DecisionRunner(store, new EventCodec(), options);

    const results = await Promise.all([
      runner.run('source-s1', sourceDecider, register('s1'), context),
      ...Array.from({ length: 49 }, (_, i) =>
        runner.run('source-s1', sourceDecider, amend('s1', `role-${i + 1}`), context),
      ),
    ]);

    expect(results.map((r) => r.streamVersion)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen).toEqual({ calls: 50, lost: 0 });
    expect(time.sleeps).toEqual([]);
    const roles = (await store.readStream('source-s1'))
      .slice(1)
      .map((e) => (e.data as { changes: { role: string } }).changes.role);
    expect(roles).toEqual(Array.from({ length: 49 }, (_, i) => `role-${i + 1}`));
  });

  it('runs commands on different streams side by side, and forgets a stream once it is idle', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await Promise.all(ids.map((id) => runner.run(`source-${id}`, sourceDecider, register(id), context)));
    expect(await store.headPosition()).toBe(20n);
    await new Promise((resolve) => setImmediate(resolve));
    expect((runner as unknown as { queue: { size: number } }).queue.size).toBe(0);
  });

  it('two processes racing on one stream: every command goes through after re-deciding', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const seen = watchAppends(store);
    const { time, options } = fakeTime(seeded(7));
    // Two runners, two fold caches, one log: two API replicas on one database.
    const a = new DecisionRunner(store, new EventCodec(), options);
    const b = new DecisionRunner(store, new EventCodec(), options);
    await a.run('source-s1', sourceDecider, register('s1'), context);

    const writes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? a : b).run('source-s1', sourceDecider, amend('s1', `role-${i}`), context),
    );
    const results = await Promise.all(writes);

    expect(new Set(results.map((r) => r.streamVersion)).size).toBe(40);
    expect((await store.readStream('source-s1')).length).toBe(41);
    expect(seen.lost).toBeGreaterThan(0); // the race did happen, and was absorbed
    // A back-off only after a lost race (a race lost on a stale cached state is retried at once).
    expect(time.sleeps.length).toBeGreaterThan(0);
    expect(time.sleeps.length).toBeLessThanOrEqual(seen.lost);
  });

  it('gives up with WrongExpectedVersionError once the retry budget is spent, after more than 5 tries', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner0 = new DecisionRunner(store, new EventCodec());
    await runner0.run('source-s1', sourceDecider, register('s1'), context);
    // Another process that always commits first.
    jest
      .spyOn(store, 'append')
      .mockImplementation((streamId) => Promise.reject(new WrongExpectedVersionError(streamId, 1, 2)));
    const { time, options } = fakeTime(() => 0.999);
    const runner = new DecisionRunner(store, new EventCodec(), options);

    await expect(
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);

    const attempts = time.sleeps.length + 1;
    expect(attempts).toBeGreaterThan(5);
    expect(time.now).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.budgetMs);
    // Delays grow, then stay at the ceiling.
    expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(time.sleeps[1]).toBeGreaterThan(time.sleeps[0] ?? Infinity);
  });

  it('keeps If-Match strict: a race lost with If-Match is a 412 at once, never retried', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const { time, options } = fakeTime();
    const runner = new DecisionRunner(store, new EventCodec(), options);
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    const append = jest
      .spyOn(store, 'append')
      .mockImplementation((streamId) => Promise.reject(new WrongExpectedVersionError(streamId, 1, 2)));

    await expect(
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), { ...context, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', expected: 1, actual: 2 });
    expect(append).toHaveBeenCalledTimes(1);
    expect(time.sleeps).toEqual([]);
  });

  it('lets the next queued command run when one fails', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const results = await Promise.allSettled([
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context), // not registered yet
      runner.run('source-s1', sourceDecider, register('s1'), context),
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});
