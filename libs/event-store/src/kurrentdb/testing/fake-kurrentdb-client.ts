import { PassThrough } from 'node:stream';
import {
  ANY,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamRequest,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
  type ReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClientLike } from '../kurrentdb-event-store';

/*
 * An in-process stand-in for a KurrentDB server, for tests only: the subset of the client the
 * store uses, with the server behaviour decision 0006 relies on, as documented by the client's
 * types and tests: atomic multi-stream appends checked per stream, string-only metadata properties
 * read back with `$schema.*` keys added, revisions from 0, StreamNotFoundError for a missing stream,
 * and `$all` positions that are NOT dense (steps of 64, shared commit position per transaction), so
 * that any reliance on KurrentDB positions being our positions shows up. It is not the real server:
 * the real one is exercised by kurrentdb-event-store.int.spec.ts when KURRENTDB_URL is set.
 */

interface FakeRecord {
  streamName: string;
  revision: bigint;
  id: string;
  type: string;
  isJson: boolean;
  data: string;
  metadata: string | undefined;
  position: Position;
}

const STEP = 64n;

export class FakeKurrentDbClient {
  private readonly log: FakeRecord[] = [];
  private readonly streams = new Map<string, FakeRecord[]>();
  private readonly subscribers = new Set<{ stream: PassThrough; from: ReadPosition; filter?: Filter }>();
  private next = 1000n;

  /**
   * `reversed` writes the requests of one append in reverse order, and records carry the position
   * of a commit record written after them (prepare < commit): the least convenient layout a server
   * could choose, so the adapter must not depend on the order within an append.
   */
  constructor(private readonly layout: 'request-order' | 'reversed' = 'request-order') {}
  /** Runs before each multi-stream append is checked: a test lets another writer commit first. */
  beforeAppend: ((requests: AppendStreamRequest[]) => Promise<void> | void) | undefined;

  asClient(): KurrentDbClientLike {
    return this as unknown as KurrentDbClientLike;
  }

  appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ) {
    const list = Array.isArray(events) ? events : [events];
    return this.multiStreamAppend([{ streamName, events: list, expectedState: options.streamState ?? ANY }]);
  }

  async multiStreamAppend(requests: AppendStreamRequest[]) {
    await this.beforeAppend?.(requests);
    for (const { streamName, expectedState } of requests) this.check(streamName, expectedState);
    const ordered = this.layout === 'reversed' ? [...requests].reverse() : requests;
    const records = ordered.reduce((n, r) => n + r.events.length, 0);
    const commit = this.layout === 'reversed' ? this.next + BigInt(records) * STEP : this.next;
    const written: FakeRecord[] = [];
    for (const { streamName, events } of ordered) {
      const stream = this.streams.get(streamName) ?? [];
      this.streams.set(streamName, stream);
      for (const event of events) {
        const record: FakeRecord = {
          streamName,
          revision: BigInt(stream.length),
          id: event.id,
          type: event.type,
          isJson: event.contentType === 'application/json',
          data: JSON.stringify(event.data),
          metadata:
            event.metadata === undefined
              ? undefined
              : JSON.stringify({
                  ...properties(event.metadata),
                  '$schema.format': 'Json',
                  '$schema.name': event.type,
                }),
          position: { commit, prepare: this.next },
        };
        this.next += STEP;
        stream.push(record);
        this.log.push(record);
        written.push(record);
      }
    }
    if (this.layout === 'reversed') this.next += STEP;
    this.publish(written);
    return {
      position: commit,
      responses: requests.map((r) => ({ streamName: r.streamName, revision: 0n })),
    };
  }

  async *readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<{ event: RecordedEvent }> {
    await Promise.resolve();
    const stream = this.streams.get(streamName);
    if (stream === undefined) throw new StreamNotFoundError(undefined, streamName);
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...stream].reverse() : [...stream];
    const from = options.fromRevision ?? (backwards ? END : START);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    let count = 0;
    for (const record of ordered) {
      if (typeof from === 'bigint' && (backwards ? record.revision > from : record.revision < from)) continue;
      if (count++ >= max) return;
      yield { event: toRecorded(record) };
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<AllStreamResolvedEvent> {
    await Promise.resolve();
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    let count = 0;
    for (const record of [...this.log]) {
      if (!after(record.position, options.fromPosition ?? START, true) || !matches(record, options.filter))
        continue;
      if (count++ >= max) return;
      yield {
        event: { ...toRecorded(record), position: record.position },
      };
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllStreamSubscription {
    const stream = new PassThrough({ objectMode: true });
    const from =
      options.fromPosition === END ? (this.log.at(-1)?.position ?? START) : (options.fromPosition ?? START);
    const subscriber = { stream, from, filter: options.filter };
    this.subscribers.add(subscriber);
    const subscription = Object.assign(stream, {
      unsubscribe: () => {
        this.subscribers.delete(subscriber);
        stream.end();
        return Promise.resolve();
      },
    });
    // Catch up on what was written after `from` (a resubscription from a checkpoint).
    const caughtUp = this.log.filter((r) => after(r.position, from, false) && matches(r, options.filter));
    for (const record of caughtUp)
      stream.write({ event: { ...toRecorded(record), position: record.position } });
    return subscription;
  }

  /** Drops every live subscription with an error, as a lost connection would. */
  dropSubscriptions(error: Error): void {
    for (const subscriber of [...this.subscribers]) {
      this.subscribers.delete(subscriber);
      subscriber.stream.emit('error', error);
    }
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  private check(streamName: string, expected: AppendStreamState): void {
    const stream = this.streams.get(streamName);
    const current = stream === undefined ? NO_STREAM : BigInt(stream.length - 1);
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      expected === current;
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
  }

  private publish(records: readonly FakeRecord[]): void {
    for (const { stream, filter } of this.subscribers) {
      for (const record of records) {
        if (matches(record, filter))
          stream.write({ event: { ...toRecorded(record), position: record.position } });
      }
    }
  }
}

/** The client's own rule for multiStreamAppend: metadata is a plain object of strings. */
function properties(metadata: unknown): Record<string, string> {
  const ok =
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    !(metadata instanceof Uint8Array) &&
    Object.values(metadata).every((value) => typeof value === 'string');
  if (!ok)
    throw new Error(
      'multiStreamAppend requires metadata to be a plain object with string keys and string values.',
    );
  return metadata as Record<string, string>;
}

function toRecorded(record: FakeRecord): RecordedEvent {
  return {
    streamId: record.streamName,
    id: record.id,
    isJson: true,
    revision: record.revision,
    type: record.type,
    created: new Date(0),
    data: JSON.parse(record.data) as RecordedEvent['data'],
    metadata:
      record.metadata === undefined ? undefined : (JSON.parse(record.metadata) as RecordedEvent['metadata']),
    position: record.position,
  } as RecordedEvent;
}

function after(position: Position, from: ReadPosition, inclusive: boolean): boolean {
  if (from === START) return true;
  if (from === END) return false;
  if (position.commit !== from.commit) return position.commit > from.commit;
  return inclusive ? position.prepare >= from.prepare : position.prepare > from.prepare;
}

function matches(record: FakeRecord, filter: Filter | undefined): boolean {
  if (filter === undefined) return !record.streamName.startsWith('$');
  if ('prefixes' in filter) return filter.prefixes.some((p) => record.streamName.startsWith(p));
  return new RegExp(filter.regex).test(record.streamName);
}
