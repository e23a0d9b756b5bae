import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { TestClock } from '../testing/test-clock';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

/*
 * The shared conformance suite against the adapter over an in-process fake server: proves the
 * adapter's own logic (position log, seeks, retries, id reservations, mapping) without a server,
 * under both record layouts the fake can produce. The same suite against a real KurrentDB is
 * kurrentdb-event-store.int.spec.ts (KURRENTDB_URL).
 */
for (const layout of ['request-order', 'reversed'] as const) {
  describeEventStoreConformance(`KurrentDbEventStore (in-process fake server, ${layout})`, async () => {
    const clock = new TestClock();
    const client = new FakeKurrentDbClient(layout).asClient();
    const store = new KurrentDbEventStore(client, clock, { prefix: 'conformance' });
    await store.createLog();
    return { store, clock, cleanup: () => store.close() };
  });
}
