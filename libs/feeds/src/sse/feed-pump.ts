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
  /** Positions of the log a claim feed's catch-up covers per read of its stream (see catchUpStream). */
  streamWindow?: number;
}

const DEFAULT_BATCH = 200;
const DEFAULT_STREAM_WINDOW = 2_000;
/** How many windows behind the head a claim feed must be before its stream is read instead. */
const WINDOWS_BEHIND = 5;

/**
 * Follows the log from `after` into one client's stream, in log order, each event once. The next
 * page of the log is read only when the client has room for more (`followLog` reads on demand), so
 * a slow client holds one page and a bounded buffer, never a backlog. Returns when the writer
 * closes (client gone, cut off, shutdown); a failure to read the log is thrown to the caller.
 */
export async function pumpFeed(options: FeedPumpOptions): Promise<void> {
  const { writer } = options;
  const streamId = options.selector.singleStream;
  const after = streamId === undefined ? options.after : await catchUpStream(options, streamId);
  if (writer.signal.aborted) return;
  const pages = followLog(options.store, {
    after,
    signal: writer.signal,
    batchSize: options.batchSize ?? DEFAULT_BATCH,
  });
  for await (const page of pages) {
    if (!(await send(options, page))) return;
  }
}

/**
 * A claim feed far behind the head reads its claim's stream instead of every page of the log
 * between (a resumed feed on a large log would otherwise decode the whole log to find a few events):
 * up to the head, one window of positions at a time, so a read holds at most `streamWindow` events.
 * The port has no lower position bound (nor a limit) on `readStream`, so the windows start at the
 * beginning of the log and carry the stream version on (versions and positions grow together in a
 * stream): head / window reads of the stream index, each cheap beside decoding the events of a
 * window. A feed fewer than WINDOWS_BEHIND windows behind reads the log's pages, which then cost
 * less (docs/decisions/0038). Returns the position the log's pages go on from.
 */
async function catchUpStream(options: FeedPumpOptions, streamId: string): Promise<bigint> {
  const { store, after } = options;
  const window = BigInt(options.streamWindow ?? DEFAULT_STREAM_WINDOW);
  const head = await store.headPosition();
  if (head - after <= window * BigInt(WINDOWS_BEHIND)) return after;
  let fromVersion = 1;
  for (let from = 0n; from < head; from += window) {
    const toPosition = from + window < head ? from + window : head;
    const events = await store.readStream(streamId, { fromVersion, toPosition });
    fromVersion += events.length;
    if (
      !(await send(
        options,
        events.filter((event) => event.position > after),
      ))
    )
      return head;
  }
  return head;
}

/** Sends the selected events of a batch, waiting for room; false once the writer has closed. */
async function send(options: FeedPumpOptions, batch: readonly StoredEvent[]): Promise<boolean> {
  const { writer } = options;
  for (const event of await options.selector.select(batch)) {
    if (!writer.send(frameMessage(options.toMessage(event)))) await writer.room();
    if (writer.signal.aborted) return false;
  }
  return !writer.signal.aborted;
}
