import { type EventStore, followLog, type StoredEvent } from '@app/event-store';
import type { FeedSelector } from './feed-filter';
import { frameMessage, type SseMessage } from './sse-frame';
import type { BoundedSseWriter } from './sse-writer';

export interface FeedPumpOptions {
  store: EventStore;
  /** The position the client has (Last-Event-ID): the feed starts with the first event after it. */
  after: bigint;
  selector: FeedSelector;
  writer: BoundedSseWriter;
  /** The message of one event (its wire form, its position as the SSE id). */
  toMessage: (event: StoredEvent) => SseMessage;
  /** Events read from the log per page; one page is the most a feed holds besides its buffer. */
  batchSize?: number;
}

const DEFAULT_BATCH = 200;

/**
 * Follows the log from `after` into one client's stream, in log order, each event once. The next
 * page of the log is read only when the client has room for more (`followLog` reads on demand), so
 * a slow client holds one page and a bounded buffer, never a backlog. Returns when the writer
 * closes (client gone, cut off, shutdown); a failure to read the log is thrown to the caller.
 */
export async function pumpFeed(options: FeedPumpOptions): Promise<void> {
  const { writer } = options;
  const pages = followLog(options.store, {
    after: options.after,
    signal: writer.signal,
    batchSize: options.batchSize ?? DEFAULT_BATCH,
  });
  for await (const page of pages) {
    for (const event of await options.selector.select(page)) {
      if (!writer.send(frameMessage(options.toMessage(event)))) await writer.room();
      if (writer.signal.aborted) return;
    }
  }
}
