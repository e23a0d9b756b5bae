import { randomUUID } from 'node:crypto';
import {
  NO_STREAM,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type AppendResult,
  type Clock,
  type EventStore,
  type ExpectedVersion,
  type LogIdentity,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
} from '../port/event-store.port';
import {
  chainEvents,
  checkAppend,
  nextRecordedAt,
  type CheckedEvent,
  type StreamTip,
} from '../core/append-plan';
import { AppendedListeners, type EventStoreOptions } from '../core/appended-listeners';
import { EventStoreClosedError } from '../core/errors';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';
import { KurrentDbStreamNames } from './kurrentdb-names';
import { ourStreamsFilter, signalOf, toEventData, versionToStreamState } from './kurrentdb-mapping';
import { logCreatedEvent, markerEvent, reservationEvent } from './kurrentdb-position-log';
import { KurrentDbContentionError, classifyAppendError, translateError } from './kurrentdb-errors';
import { AppendedSignals } from './kurrentdb-signals';
import { KurrentDbLogReader, missingLog, type LogHead } from './kurrentdb-log-reader';

/*
 * The event store on KurrentDB (decision 0006). In short:
 * - each of our streams is a KurrentDB stream `<prefix>-<streamId>`; versions are revisions + 1;
 * - the dense global position the auditor's Merkle tree needs is the revision of a marker in one
 *   stream, `<prefix>.log`, written in the same atomic multi-stream append as the events, with the
 *   log's current revision as its expected revision. Two writers can never take the same position,
 *   a lost race writes nothing and is retried, and every committed append extends the log by
 *   exactly its events: positions are 1..n in commit order with no holes, and `recordedAt` (taken
 *   from the head this append extends) never goes back;
 * - event ids are unique across streams through a reservation stream per id, created with
 *   "no stream" in the same append;
 * - `readAll` places itself through the position log (the append before the wanted position) and
 *   reads `$all` from there with the server-side prefix filter for our streams (KurrentDbLogReader).
 * Appends from one process are serialised (they would only race each other on the log stream);
 * the hash chain, versions and recordedAt come from the shared core, as on every store.
 */

/** The part of the client this store uses: a test can hand in a fake. */
export type KurrentDbClientLike = Pick<
  KurrentDBClient,
  'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface KurrentDbEventStoreOptions extends EventStoreOptions {
  /** Names this log on the server (decision 0006); letters, digits and `_`. Default `newsroom`. */
  prefix?: string;
  /** Dispose the client in `close()`. Off by default: whoever created the client disposes it. */
  ownsClient?: boolean;
  /** How many times an append is tried while other writers keep taking the next position. */
  maxAppendAttempts?: number;
  /** Told when the `onAppended` subscription drops (it resubscribes from its checkpoint). */
  onSubscriptionError?: (error: Error) => void;
}

export class KurrentDbEventStore implements EventStore {
  readonly names: KurrentDbStreamNames;
  private readonly reader: KurrentDbLogReader;
  /** Written into our events' metadata so our own subscription can skip what we signalled already. */
  private readonly writer = randomUUID();
  private readonly listeners: AppendedListeners;
  private readonly signals: AppendedSignals;
  private readonly maxAttempts: number;
  private readonly ownsClient: boolean;
  private listenerCount = 0;
  private signalled = 0n;
  private queue: Promise<unknown> = Promise.resolve();
  private logId: string | undefined;
  private closed = false;

  constructor(
    private readonly client: KurrentDbClientLike,
    private readonly clock: Clock,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.names = new KurrentDbStreamNames(options.prefix);
    this.reader = new KurrentDbLogReader(client, this.names);
    this.listeners = new AppendedListeners(options.onListenerError);
    this.maxAttempts = options.maxAppendAttempts ?? 100;
    this.ownsClient = options.ownsClient ?? false;
    const reportDrop = options.onSubscriptionError ?? (() => undefined);
    this.signals = new AppendedSignals({
      subscribe: (from, onCheckpoint) =>
        this.client.subscribeToAll({
          fromPosition: from,
          filter: ourStreamsFilter(this.names, onCheckpoint),
        }),
      onEvent: (resolved) => this.onForeignEvent(resolved),
      onError: reportDrop,
    });
  }

  /** Creates the position log with its identity if it does not exist yet; idempotent and race-free. */
  async createLog(): Promise<void> {
    this.assertOpen();
    if ((await this.reader.logAt(0n)) !== undefined) return;
    try {
      await this.client.appendToStream(
        this.names.logStream,
        logCreatedEvent(randomUUID(), this.clock.now().toISOString()),
        {
          streamState: NO_STREAM,
        },
      );
    } catch (error) {
      // Another replica created it first: its LogCreated is the identity; ours was not written.
      if ((await this.reader.logAt(0n).catch(() => undefined)) === undefined) throw translateError(error);
    }
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    const checked = checkAppend(streamId, events, expected);
    const result = await this.serialized(() => this.appendWithRetries(streamId, checked, expected));
    this.signal(result.position);
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const to = options.toPosition === undefined ? undefined : toPosition(options.toPosition, 'toPosition');
    return this.reader.readStream(streamId, fromVersionOf(options), to);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const { after, to, limit } = pageRequest(options);
    const from = after < 0n ? 0n : after;
    const wanted = to === undefined || to - from >= BigInt(limit) ? limit : Number(to - from);
    return wanted <= 0 ? [] : this.reader.readPage(from, wanted);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return (await this.reader.logHead()).position;
  }

  async identity(): Promise<LogIdentity> {
    this.assertOpen();
    this.logId ??= await this.reader.logId();
    if (this.logId === undefined) throw missingLog(this.names.logStream);
    return { logId: this.logId, firstEventHash: await this.reader.firstEventHash() };
  }

  async positionAt(recordedAt: string): Promise<bigint> {
    this.assertOpen();
    return this.reader.positionAt(normalizeInstant(recordedAt));
  }

  /**
   * This process's appends right after commit, and other processes' through the `$all`
   * subscription (started with the first listener, stopped with the last).
   */
  onAppended(listener: (head: bigint) => void): () => void {
    const remove = this.listeners.add(listener);
    this.listenerCount += 1;
    if (!this.closed) this.signals.start();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      remove();
      this.listenerCount -= 1;
      if (this.listenerCount === 0) void this.signals.stop();
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.signals.stop();
    if (this.ownsClient) await this.client.dispose();
  }

  private async appendWithRetries(
    streamId: string,
    events: readonly CheckedEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const [tip, head] = await Promise.all([this.reader.streamTip(streamId), this.reader.logHead()]);
      if (expected !== 'any' && expected !== tip.version) {
        return this.conflict(streamId, events, expected, tip.version);
      }
      const recordedAt = nextRecordedAt(this.clock, head.recordedAt);
      const stored: StoredEvent[] = chainEvents(streamId, events, tip, recordedAt).map((event, index) => ({
        ...event,
        position: head.position + BigInt(index + 1),
      }));
      try {
        await this.client.multiStreamAppend(this.requests(streamId, stored, tip, head));
      } catch (error) {
        const outcome = classifyAppendError(error, this.names);
        if (outcome instanceof Error) throw outcome;
        if (outcome.kind === 'duplicate-id') {
          const event = stored.find((e) => this.names.eventIdStream(e.eventId) === outcome.reservationStream);
          throw new DuplicateEventError(event?.eventId ?? 'unknown');
        }
        if (outcome.kind === 'stream-moved' && expected !== 'any') {
          return this.conflict(streamId, events, expected, outcome.actualVersion);
        }
        // The log (or, for 'any', the stream) moved under us: read again and retry.
        await backoff(attempt);
        continue;
      }
      const last = stored.at(-1);
      if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
      return { streamVersion: last.streamVersion, position: last.position, events: stored };
    }
    throw new KurrentDbContentionError(this.maxAttempts);
  }

  /** One atomic append: markers, our events, the id reservations (decision 0006). */
  private requests(
    streamId: string,
    stored: readonly StoredEvent[],
    tip: StreamTip,
    head: LogHead,
  ): AppendStreamRequest[] {
    const batchStart = head.position + 1n;
    return [
      {
        streamName: this.names.logStream,
        expectedState: head.position,
        events: stored.map((e) => markerEvent(e, batchStart)),
      },
      {
        streamName: this.names.toStreamName(streamId),
        expectedState: versionToStreamState(tip.version),
        events: stored.map((e) => toEventData(e, this.writer)),
      },
      ...stored.map((e): AppendStreamRequest => ({
        streamName: this.names.eventIdStream(e.eventId),
        expectedState: NO_STREAM,
        events: [reservationEvent(e)],
      })),
    ];
  }

  /**
   * A version conflict, unless the batch is a retry of an append that did commit (a lost reply):
   * then, as on PostgreSQL, the caller learns that its events are stored.
   */
  private async conflict(
    streamId: string,
    events: readonly CheckedEvent[],
    expected: number,
    actual: number,
  ): Promise<never> {
    const first = events[0];
    if (first !== undefined && (await this.reader.exists(this.names.eventIdStream(first.eventId)))) {
      throw new DuplicateEventError(first.eventId);
    }
    throw new WrongExpectedVersionError(streamId, expected, actual);
  }

  private onForeignEvent(resolved: AllStreamResolvedEvent): void {
    const signal = resolved.event === undefined ? undefined : signalOf(resolved.event);
    if (signal === undefined || signal.writer === this.writer) return;
    this.signal(signal.position);
  }

  /** Heads only move forward: a foreign signal may overtake our own reply. */
  private signal(head: bigint): void {
    if (head <= this.signalled) return;
    this.signalled = head;
    this.listeners.notify(head);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

/** Jittered, growing, capped: replicas that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** Math.min(attempt, 7));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
