import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { TestClock } from '../testing/test-clock';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

/*
 * The shared conformance suite against the adapter over an in-process fake server: proves the
 * adapter's own logic (position log, seeks, retries, id reservations, mapping) without a server.
 * The same suite against a real KurrentDB is kurrentdb-event-store.int.spec.ts (KURRENTDB_URL).
 */
describeEventStoreConformance('KurrentDbEventStore (in-process fake server)', async () => {
  const clock = new TestClock();
  const store = new KurrentDbEventStore(new FakeKurrentDbClient().asClient(), clock, {
    prefix: 'conformance',
  });
  await store.createLog();
  return { store, clock, cleanup: () => store.close() };
});
