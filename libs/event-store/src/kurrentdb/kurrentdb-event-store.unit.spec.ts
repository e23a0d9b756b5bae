import { UnavailableError } from '@kurrent/kurrentdb-client';
import { DuplicateEventError, WrongExpectedVersionError, type NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import { KurrentDbContentionError, KurrentDbUnavailableError } from './kurrentdb-errors';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

/*
 * What the conformance suite cannot show with one store: several replicas on one server, lost
 * races on the position log, and signals between processes. Over the in-process fake server.
 */

let counter = 0;
const event = (data: unknown = {}): NewEvent => ({
  eventId: `evt-${(counter += 1)}`,
  type: 'StatementReported',
  schemaVersion: 1,
  data,
  metadata: { principal: 'desk', correlationId: 'corr' },
});

async function replicas(server: FakeKurrentDbClient, ...clocks: TestClock[]): Promise<KurrentDbEventStore[]> {
  const stores = clocks.map(
    (clock) => new KurrentDbEventStore(server.asClient(), clock, { prefix: 'newsroom' }),
  );
  for (const store of stores) await store.createLog();
  return stores;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KurrentDbEventStore with several replicas (fake server)', () => {
  it('creates the log once: every replica reports the same identity', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    const identity = await a!.identity();
    expect(identity.firstEventHash).toBeNull();
    expect(await b!.identity()).toEqual(identity);
  });

  it('retries when another writer takes the next position between read and write', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    let raced = 0;
    server.beforeAppend = async () => {
      if (raced++ > 0) return;
      server.beforeAppend = undefined;
      await b!.append('claim-b', [event()], 0); // commits position 1 under a's feet
    };

    const result = await a!.append('claim-a', [event(), event()], 0);

    expect(result.events.map((e) => e.position)).toEqual([2n, 3n]);
    expect((await a!.readAll()).map((e) => [e.streamId, e.position])).toEqual([
      ['claim-b', 1n],
      ['claim-a', 2n],
      ['claim-a', 3n],
    ]);
  });

  it("keeps recordedAt monotonic in position order when the replicas' clocks disagree", async () => {
    const server = new FakeKurrentDbClient();
    const [ahead, behind] = await replicas(
      server,
      new TestClock('2017-10-15T10:00:00.000Z'),
      new TestClock('2017-10-15T09:00:00.000Z'),
    );
    await ahead!.append('claim-1', [event()], 0);
    const late = await behind!.append('claim-2', [event()], 0);
    expect(late.events[0]?.metadata.recordedAt).toBe('2017-10-15T10:00:00.000Z');
  });

  it('reports a lost race on the stream with the version the server saw', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    await a!.append('claim-1', [event()], 0);
    server.beforeAppend = async () => {
      server.beforeAppend = undefined;
      await b!.append('claim-1', [event(), event()], 1);
    };
    const error = await a!.append('claim-1', [event()], 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expected: 1, actual: 3 });
  });

  it("retries an 'any' append whose stream moved, chaining onto the new tip", async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    server.beforeAppend = async () => {
      server.beforeAppend = undefined;
      await b!.append('claim-1', [event()], 'any');
    };
    const result = await a!.append('claim-1', [event()], 'any');
    const stream = await a!.readStream('claim-1');
    expect(result.streamVersion).toBe(2);
    expect(stream[1]?.metadata.prevHash).toBe(stream[0]?.metadata.hash);
  });

  it('reports a duplicate from another replica, and a retried committed batch, as DuplicateEventError', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    const batch = [event(), event()];
    await a!.append('claim-1', batch, 0);
    await expect(b!.append('claim-2', [batch[1]!], 0)).rejects.toBeInstanceOf(DuplicateEventError);
    await expect(b!.append('claim-1', batch, 0)).rejects.toBeInstanceOf(DuplicateEventError);
    expect(await a!.headPosition()).toBe(2n);
  });

  it('gives up with a clear error when the log never stops moving', async () => {
    const server = new FakeKurrentDbClient();
    const store = new KurrentDbEventStore(server.asClient(), new TestClock(), { maxAppendAttempts: 3 });
    await store.createLog();
    const other = new KurrentDbEventStore(server.asClient(), new TestClock());
    server.beforeAppend = async (requests) => {
      if (requests.some((r) => r.streamName === 'newsroom-claim-other')) return;
      await other.append('claim-other', [event()], 'any');
    };
    await expect(store.append('claim-1', [event()], 0)).rejects.toBeInstanceOf(KurrentDbContentionError);
    expect(await store.readStream('claim-1')).toEqual([]);
  });

  it('signals listeners of one replica when another appends, once per new head', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    const heads: bigint[] = [];
    a!.onAppended((head) => heads.push(head));

    await b!.append('claim-1', [event(), event()], 0);
    await a!.append('claim-2', [event()], 0);
    await tick();

    expect(heads).toEqual([1n, 2n, 3n]);
  });

  it('resubscribes from its checkpoint after the subscription drops, missing nothing', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    const drops: Error[] = [];
    const heads: bigint[] = [];
    const store = new KurrentDbEventStore(server.asClient(), new TestClock(), {
      onSubscriptionError: (error) => drops.push(error),
    });
    store.onAppended((head) => heads.push(head));
    await a!.append('claim-1', [event()], 0);
    await tick();

    jest.useFakeTimers();
    try {
      server.dropSubscriptions(new UnavailableError());
      await b!.append('claim-1', [event()], 1); // written while no subscription is live
      jest.advanceTimersByTime(1000);
    } finally {
      jest.useRealTimers();
    }
    await tick();

    expect(drops).toHaveLength(1);
    expect(heads).toEqual([1n, 2n]);
    await store.close();
  });

  it('stops the subscription with its last listener and on close', async () => {
    const server = new FakeKurrentDbClient();
    const [a, b] = await replicas(server, new TestClock(), new TestClock());
    const heads: bigint[] = [];
    const off = a!.onAppended((head) => heads.push(head));
    off();
    off();
    await b!.append('claim-1', [event()], 0);
    await tick();
    expect(heads).toEqual([]);
    await a!.close();
    await a!.close();
  });

  it('maps an unreachable server to KURRENTDB_UNAVAILABLE', async () => {
    const server = new FakeKurrentDbClient();
    const store = new KurrentDbEventStore(server.asClient(), new TestClock());
    server.readStream = () => {
      throw new UnavailableError();
    };
    await expect(store.headPosition()).rejects.toBeInstanceOf(KurrentDbUnavailableError);
  });
});
