/**
 * Rejections of an append that are the caller's fault (malformed batch), as opposed to a conflict
 * with what is already stored. Nothing is written when one is thrown.
 */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
  }
}

/** Thrown by every method of a store after `close()`, so use-after-shutdown fails loudly. */
export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';
  readonly code = 'EVENT_STORE_CLOSED';
  constructor() {
    super('the event store is closed');
  }
}
