import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { TestClock } from '../testing/test-clock';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreConformance('InMemoryEventStore', () => {
  const clock = new TestClock();
  const store = new InMemoryEventStore(clock);
  return Promise.resolve({ store, clock, cleanup: () => store.close() });
});
