import { createHash } from 'node:crypto';

/*
 * Where one log lives in a KurrentDB server. A server may hold other applications' streams and
 * several of our logs (tests, staging), so every name of ours starts with the log's prefix:
 *
 *   <prefix>-<streamId>        our streams, e.g. `newsroom-claim-31b3…`; the server-side `$all`
 *                              filter is the stream-name prefix `<prefix>-`, so readers of `$all`
 *                              receive these and nothing else
 *   <prefix>.log               the position log: revision 0 is `LogCreated` (the log id), revision
 *                              n is the marker of our event at position n (decision 0006)
 *   <prefix>.event-<sha256>    one tiny stream per event id, created with "no stream" in the same
 *                              atomic append: KurrentDB has no unique index over event ids
 *
 * The prefix is letters, digits and `_` (no `-`, no `.`): then `<prefix>-` can never be the start
 * of another prefix's names (`news-` does not match `newsroom-…`), and no name starts with `$`
 * (system streams, which need admin rights and are filtered out of `$all` by convention).
 */

export const DEFAULT_STREAM_PREFIX = 'newsroom';
const PREFIX = /^[A-Za-z0-9_]{1,64}$/;

export class KurrentDbStreamNames {
  readonly prefix: string;
  /** The server-side `$all` filter: every one of our streams, and only those. */
  readonly dataPrefix: string;
  readonly logStream: string;

  constructor(prefix: string = DEFAULT_STREAM_PREFIX) {
    if (!PREFIX.test(prefix)) {
      throw new RangeError(
        `KurrentDB stream prefix must be 1-64 letters, digits or "_" (no "-", ".", "$"), got ${JSON.stringify(prefix)}`,
      );
    }
    this.prefix = prefix;
    this.dataPrefix = `${prefix}-`;
    this.logStream = `${prefix}.log`;
  }

  /** Our stream id → its KurrentDB stream name. */
  toStreamName(streamId: string): string {
    return `${this.dataPrefix}${streamId}`;
  }

  /** A KurrentDB stream name → our stream id; undefined for a stream that is not one of ours. */
  toStreamId(streamName: string): string | undefined {
    if (!streamName.startsWith(this.dataPrefix)) return undefined;
    const streamId = streamName.slice(this.dataPrefix.length);
    return streamId.length > 0 ? streamId : undefined;
  }

  /**
   * The reservation stream of an event id. Hashed: event ids are caller-chosen text of any length,
   * and the name must be exact (two ids differing only in case are two events).
   */
  eventIdStream(eventId: string): string {
    return `${this.prefix}.event-${createHash('sha256').update(eventId, 'utf8').digest('hex')}`;
  }

  isEventIdStream(streamName: string): boolean {
    return streamName.startsWith(`${this.prefix}.event-`);
  }
}
