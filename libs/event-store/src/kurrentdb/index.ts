export { openKurrentDbEventStore, type OpenKurrentDbOptions } from './open-kurrentdb';
export {
  KurrentDbEventStore,
  type KurrentDbEventStoreOptions,
  type KurrentDbClientLike,
} from './kurrentdb-event-store';
export { DEFAULT_STREAM_PREFIX } from './kurrentdb-names';
export {
  KurrentDbContentionError,
  KurrentDbCorruptEventError,
  KurrentDbSetupError,
  KurrentDbStreamDeletedError,
  KurrentDbUnavailableError,
} from './kurrentdb-errors';
