import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { WrongExpectedVersionError, type NewEvent } from '../port/event-store.port';
import { TestClock } from '../testing/test-clock';
import type { KurrentDbEventStore } from './kurrentdb-event-store';
import { openKurrentDbEventStore } from './open-kurrentdb';
import { describeWithKurrentDb, uniquePrefix } from './testing/test-server';

/*
 * The adapter against a real KurrentDB (25.1 or later: multi-stream appends), only when
 * KURRENTDB_URL is set. Every store gets a prefix of its own, so runs never see each other's logs;
 * nothing is deleted afterwards (KurrentDB deletes by scavenging; use a throwaway server).
 * The conformance suite appends 10 001 events in one atomic append (about 5 MB with the markers
 * and reservations): start the server with a larger limit, e.g. KURRENTDB_MAX_APPEND_SIZE=16777216.
 */
describeWithKurrentDb('KurrentDbEventStore on a KurrentDB server', (url) => {
  describeEventStoreConformance('KurrentDbEventStore (server)', async () => {
    const clock = new TestClock();
    const store = await openKurrentDbEventStore({ url, clock, prefix: uniquePrefix() });
    return { store, clock, cleanup: () => store.close() };
  });

  let counter = 0;
  const event = (data: unknown = {}): NewEvent => ({
    eventId: `kdb-${process.pid}-${Date.now()}-${(counter += 1)}`,
    type: 'StatementReported',
    schemaVersion: 1,
    data,
    metadata: { principal: 'desk', correlationId: 'corr' },
  });

  const opened: KurrentDbEventStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  async function replicas(clocks: TestClock[]): Promise<KurrentDbEventStore[]> {
    const prefix = uniquePrefix();
    const stores = await Promise.all(clocks.map((clock) => openKurrentDbEventStore({ url, clock, prefix })));
    opened.push(...stores);
    return stores;
  }

  it('gives two replicas one log: one identity, dense commit-ordered positions, monotonic time', async () => {
    const [a, b] = await replicas([
      new TestClock('2017-10-15T10:00:00.000Z'),
      new TestClock('2017-10-15T09:00:00.000Z'),
    ]);
    expect(await a!.identity()).toEqual(await b!.identity());
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a! : b!).append(`claim-${i % 3}`, [event({ i })], 'any'),
      ),
    );
    const all = await a!.readAll();
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    expect(writes.map((w) => w.position).sort((x, y) => (x < y ? -1 : 1))).toEqual(
      all.map((e) => e.position),
    );
    const times = all.map((e) => e.metadata.recordedAt);
    expect([...times].sort()).toEqual(times);
  });

  it('lets exactly one of two replicas win a race on the same stream version', async () => {
    const [a, b] = await replicas([new TestClock(), new TestClock()]);
    await a!.append('claim-1', [event()], 0);
    const outcomes = await Promise.allSettled([
      a!.append('claim-1', [event()], 1),
      b!.append('claim-1', [event()], 1),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(WrongExpectedVersionError);
  });

  it("signals one replica's listeners when another replica appends (the $all subscription)", async () => {
    const [a, b] = await replicas([new TestClock(), new TestClock()]);
    const heads: bigint[] = [];
    const seen = new Promise<void>((resolve) => {
      a!.onAppended((head) => {
        heads.push(head);
        if (head >= 2n) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the subscription is live
    await b!.append('claim-1', [event(), event()], 0);
    await seen;
    expect(heads.at(-1)).toBe(2n);
  });
});
