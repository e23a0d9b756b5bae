// Only modules that do not load the KurrentDB client: importing @app/event-store must stay cheap
// for the stores that do not use it. The client is loaded by openKurrentDbEventStore.
export { openKurrentDbEventStore, redactUrl, type OpenKurrentDbOptions } from './open-kurrentdb';
export type {
  KurrentDbEventStore,
  KurrentDbEventStoreOptions,
  KurrentDbClientLike,
} from './kurrentdb-event-store';
export { DEFAULT_STREAM_PREFIX } from './kurrentdb-names';
export {
  KurrentDbContentionError,
  KurrentDbCorruptEventError,
  KurrentDbSetupError,
  KurrentDbStreamDeletedError,
  KurrentDbUnavailableError,
} from './kurrentdb-error-classes';
