import { InMemoryEventStore } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { sourceDecider } from '../../domain/source.decider';
import { DecisionRunner } from './decision-runner';
import { EventCodec } from './event-codec';
import { FoldCache } from './fold-cache';

const context = { principal: 'reporter-1', correlationId: 'c-1' };
const register = (sourceId: string) => ({
  type: 'RegisterSource' as const,
  data: { sourceId, name: 'Talal Silo', kind: 'person' as const, protected: false },
});
const amend = (sourceId: string, role: string) => ({
  type: 'AmendSource' as const,
  data: { sourceId, changes: { role }, reason: 'title confirmed' },
});

describe('DecisionRunner', () => {
  it('decides on the state as appended elsewhere since it last folded the stream', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const other = new DecisionRunner(store, new EventCodec()); // another process on the same log

    await runner.run('source-s1', sourceDecider, register('s1'), context);
    expect((await runner.load('source-s1', sourceDecider)).version).toBe(1);
    await other.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);

    const loaded = await runner.load('source-s1', sourceDecider);
    expect(loaded.version).toBe(2);
    expect(loaded.state).toMatchObject({ registered: true, fields: { role: 'spokesman' } });
    // The same amendment again changes nothing: decided on the fresh state, not the cached one.
    await expect(
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context),
    ).rejects.toMatchObject({
      code: 'NOTHING_CHANGED',
    });
  });

  it('keeps the state it appended: the next command reads nothing back, and the state equals a fold of the log', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    await runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);
    const reads = jest.spyOn(store, 'readStream');

    const cached = await runner.load('source-s1', sourceDecider);

    expect(reads).toHaveBeenCalledWith('source-s1', { fromVersion: 3 });
    expect(await reads.mock.results[0]!.value).toEqual([]);
    const fresh = await new DecisionRunner(store, new EventCodec()).load('source-s1', sourceDecider);
    expect(cached).toEqual(fresh);
    expect(fresh.version).toBe(2);
  });

  it('answers a stale If-Match with PreconditionFailedError and appends nothing', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    await expect(
      runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), { ...context, expectedVersion: 0 }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', expected: 0, actual: 1 });
    expect(await store.headPosition()).toBe(1n);
  });
});

describe('DecisionRunner on its cached state', () => {
  it('decides a command on a stream it folded before without reading the stream', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    const reads = jest.spyOn(store, 'readStream');

    await runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);
    await runner.run('source-s1', sourceDecider, amend('s1', 'minister'), context);

    expect(reads).not.toHaveBeenCalled();
    const fresh = await new DecisionRunner(store, new EventCodec()).load('source-s1', sourceDecider);
    expect(fresh).toMatchObject({ version: 3, state: { fields: { role: 'minister' } } });
  });

  it('on a store replicas share, reads the stream before every command (deciding on the cache would starve the others)', async () => {
    const memory = new InMemoryEventStore(new TestClock());
    const shared = new Proxy(memory, {
      get: (target, key) => {
        if (key === 'singleProcess') return false;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const runner = new DecisionRunner(shared, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    const reads = jest.spyOn(memory, 'readStream');

    await runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);

    expect(reads).toHaveBeenCalledWith('source-s1', { fromVersion: 2 });
  });

  it('a cache made stale by another process: the append is refused, the command decided again on the stream, without a back-off', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const sleeps: number[] = [];
    const runner = new DecisionRunner(store, new EventCodec(), {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const other = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    await other.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);
    const appends = jest.spyOn(store, 'append');

    const appended = await runner.run('source-s1', sourceDecider, amend('s1', 'minister'), context);

    expect(appended.streamVersion).toBe(3);
    expect(appends.mock.calls.map(([, , expected]) => expected)).toEqual([1, 2]);
    expect(sleeps).toEqual([]);
    const fresh = await new DecisionRunner(store, new EventCodec()).load('source-s1', sourceDecider);
    expect(fresh.state).toMatchObject({ fields: { role: 'minister' } });
  });

  it('never answers a refusal decided on a stale cache: the command is decided again on the stream', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const other = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    await runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);
    await other.run('source-s1', sourceDecider, amend('s1', 'minister'), context);

    // On the cached state the role is already 'spokesman' (NOTHING_CHANGED); on the stream it is not.
    const appended = await runner.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);

    expect(appended.streamVersion).toBe(4);
  });

  it('after a stale cache, reads the stream first for the next command, then trusts the cache again', async () => {
    const store = new InMemoryEventStore(new TestClock());
    const runner = new DecisionRunner(store, new EventCodec());
    const other = new DecisionRunner(store, new EventCodec());
    await runner.run('source-s1', sourceDecider, register('s1'), context);
    await other.run('source-s1', sourceDecider, amend('s1', 'spokesman'), context);
    await runner.run('source-s1', sourceDecider, amend('s1', 'minister'), context); // stale: missed
    const reads = jest.spyOn(store, 'readStream');

    await runner.run('source-s1', sourceDecider, amend('s1', 'envoy'), context);
    expect(reads).toHaveBeenCalledTimes(1);
    await runner.run('source-s1', sourceDecider, amend('s1', 'consul'), context);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});

describe('FoldCache', () => {
  const decider = {};

  it('keeps the newest state of a stream and forgets the least recently used beyond capacity', () => {
    const cache = new FoldCache(2);
    cache.set('a', decider, 2, 'a@2');
    cache.set('a', decider, 1, 'a@1');
    expect(cache.get('a', decider)).toEqual({ version: 2, state: 'a@2' });
    cache.set('b', decider, 1, 'b@1');
    cache.get('a', decider);
    cache.set('c', decider, 1, 'c@1');
    expect(cache.get('b', decider)).toBeUndefined();
    expect(cache.get('a', decider)).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it("never hands one decider's state to another", () => {
    const cache = new FoldCache();
    cache.set('a', decider, 1, 'state');
    expect(cache.get('a', {})).toBeUndefined();
  });
});
