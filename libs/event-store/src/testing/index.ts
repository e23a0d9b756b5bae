/** Test helpers: import from '@app/event-store/testing', never from production code. */
export { TestClock } from './test-clock';
export {
  describeEventStoreConformance,
  type EventStoreFixture,
} from '../conformance/event-store.conformance';
