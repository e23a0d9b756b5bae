import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type KurrentDBClient,
  type Position,
  type ReadPosition,
  type RecordedEvent,
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
  EMPTY_STREAM,
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
import {
  fromRecordedEvent,
  logCreatedEvent,
  markerEvent,
  ourStreamsFilter,
  parseLogCreated,
  parseMarker,
  reservationEvent,
  revisionToVersion,
  seekPlan,
  signalOf,
  toEventData,
  versionToStreamState,
} from './kurrentdb-mapping';
import {
  KurrentDbContentionError,
  KurrentDbCorruptEventError,
  classifyAppendError,
  isStreamNotFound,
  translateError,
} from './kurrentdb-errors';
import { AppendedSignals } from './kurrentdb-signals';

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
 * - `readAll` finds the marker of the first wanted position and reads `$all` from its commit
 *   position with the server-side prefix filter for our streams.
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

interface LogHead {
  position: bigint;
  recordedAt: string | undefined;
}

export class KurrentDbEventStore implements EventStore {
  readonly names: KurrentDbStreamNames;
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
  /** The `$all` position of the last event `readAll` returned, to continue paging without a seek. */
  private cursor: { position: bigint; at: Position } | undefined;
  private closed = false;

  constructor(
    private readonly client: KurrentDbClientLike,
    private readonly clock: Clock,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.names = new KurrentDbStreamNames(options.prefix);
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
    if ((await this.readLogAt(0n)) !== undefined) return;
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
      if ((await this.readLogAt(0n).catch(() => undefined)) === undefined) throw translateError(error);
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
    const from = fromVersionOf(options);
    const events: StoredEvent[] = [];
    await this.read(async () => {
      const reading = this.client.readStream(this.names.toStreamName(streamId), {
        fromRevision: BigInt(from - 1),
      });
      for await (const resolved of reading) {
        if (resolved.event === undefined) continue;
        const event = fromRecordedEvent(resolved.event, this.names);
        // Positions grow with versions within a stream: nothing after this one is inside the cut.
        if (to !== undefined && event.position > to) break;
        events.push(event);
      }
    });
    return events;
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const page = pageRequest(options);
    const after = page.after < 0n ? 0n : page.after;
    const { to, limit } = page;
    const wanted = to === undefined || to - after >= BigInt(limit) ? limit : Number(to - after);
    if (wanted <= 0) return [];
    const seek = await this.seek(after, wanted);
    if (seek === undefined) return [];
    const events: StoredEvent[] = [];
    let last: Position | undefined;
    await this.read(async () => {
      const reading = this.client.readAll({
        fromPosition: seek.from,
        filter: ourStreamsFilter(this.names),
        maxCount: seek.maxCount,
      });
      for await (const resolved of reading) {
        if (resolved.event === undefined) continue;
        const event = fromRecordedEvent(resolved.event, this.names);
        if (event.position <= after) continue;
        // Dense by construction; a hole means the server reordered or lost a record: fail, never skip.
        const expectedPosition = after + BigInt(events.length + 1);
        if (event.position !== expectedPosition) {
          throw new KurrentDbCorruptEventError(
            `$all at ${expectedPosition}`,
            `holds position ${event.position}`,
          );
        }
        events.push(event);
        last = resolved.event.position;
        if (events.length === wanted) break;
      }
    });
    const end = events.at(-1);
    if (end !== undefined && last !== undefined) this.cursor = { position: end.position, at: last };
    return events;
  }

  /**
   * Where to read `$all` from. A reader paging on from the last page (the projector, the auditor)
   * continues at the `$all` position of the last event returned; anyone else is placed through the
   * position log (see seekPlan): two reads of single markers.
   */
  private async seek(
    after: bigint,
    wanted: number,
  ): Promise<{ from: ReadPosition; maxCount: number } | undefined> {
    const cursor = this.cursor;
    if (cursor !== undefined && cursor.position === after) return { from: cursor.at, maxCount: wanted + 1 };
    const target = await this.readLogAt(after + 1n);
    if (target === undefined) return undefined;
    const plan = seekPlan(after, parseMarker(target).batchStart, wanted);
    const anchor = await this.readLogAt(plan.anchorRevision);
    if (anchor === undefined)
      throw new KurrentDbCorruptEventError(`${this.names.logStream}@${plan.anchorRevision}`, 'is missing');
    const anchorMarker = plan.anchorRevision === 0n ? undefined : parseMarker(anchor);
    return { from: this.positionOf(anchor), maxCount: plan.maxCount(anchorMarker) };
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return (await this.logHead()).position;
  }

  async identity(): Promise<LogIdentity> {
    this.assertOpen();
    if (this.logId === undefined) {
      const created = await this.readLogAt(0n);
      if (created === undefined) throw missingLog(this.names.logStream);
      this.logId = parseLogCreated(created);
    }
    const first = await this.readLogAt(1n);
    return { logId: this.logId, firstEventHash: first === undefined ? null : parseMarker(first).hash };
  }

  async positionAt(recordedAt: string): Promise<bigint> {
    this.assertOpen();
    const instant = normalizeInstant(recordedAt);
    const head = await this.logHead();
    if (head.recordedAt === undefined || head.recordedAt <= instant) return head.position;
    // recordedAt never decreases with position: binary search over the markers, one read per probe.
    let low = 0n; // recorded at or before the instant (0 = nothing)
    let high = head.position; // recorded after it
    while (high - low > 1n) {
      const middle = (low + high) / 2n;
      const probe = await this.readLogAt(middle);
      if (probe === undefined)
        throw new KurrentDbCorruptEventError(`${this.names.logStream}@${middle}`, 'is missing');
      if (parseMarker(probe).recordedAt <= instant) low = middle;
      else high = middle;
    }
    return low;
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
      const [tip, head] = await Promise.all([this.streamTip(streamId), this.logHead()]);
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

  /** One atomic append: markers first (see seekPosition), then our events, then the id reservations. */
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
    if (first !== undefined && (await this.exists(this.names.eventIdStream(first.eventId)))) {
      throw new DuplicateEventError(first.eventId);
    }
    throw new WrongExpectedVersionError(streamId, expected, actual);
  }

  private async streamTip(streamId: string): Promise<StreamTip> {
    const last = await this.lastOf(this.names.toStreamName(streamId));
    if (last === undefined) return EMPTY_STREAM;
    return {
      version: revisionToVersion(last.revision),
      lastHash: fromRecordedEvent(last, this.names).metadata.hash,
    };
  }

  private async logHead(): Promise<LogHead> {
    const last = await this.lastOf(this.names.logStream);
    if (last === undefined) throw missingLog(this.names.logStream);
    if (last.revision === 0n) return { position: 0n, recordedAt: undefined };
    const marker = parseMarker(last);
    return { position: marker.position, recordedAt: marker.recordedAt };
  }

  private async lastOf(streamName: string): Promise<RecordedEvent | undefined> {
    let last: RecordedEvent | undefined;
    await this.read(async () => {
      for await (const resolved of this.client.readStream(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        last = resolved.event;
      }
    });
    return last;
  }

  /** The position log's record at a revision (= position; 0 is LogCreated), or undefined past the end. */
  private async readLogAt(revision: bigint): Promise<RecordedEvent | undefined> {
    let found: RecordedEvent | undefined;
    await this.read(async () => {
      const from = revision === 0n ? START : revision;
      for await (const resolved of this.client.readStream(this.names.logStream, {
        fromRevision: from,
        maxCount: 1,
      })) {
        if (resolved.event?.revision === revision) found = resolved.event;
      }
    });
    return found;
  }

  private async exists(streamName: string): Promise<boolean> {
    return (await this.lastOf(streamName)) !== undefined;
  }

  /** Runs a read; a missing stream reads as empty, other client errors become ours. */
  private async read(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isStreamNotFound(error)) return;
      throw translateError(error);
    }
  }

  private positionOf(recorded: RecordedEvent): Position {
    if (recorded.position === undefined) {
      throw new KurrentDbCorruptEventError(
        `${recorded.streamId}@${recorded.revision}`,
        'came without its $all position (KurrentDB 25.1 or later is required)',
      );
    }
    return recorded.position;
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

function missingLog(logStream: string): Error {
  return new Error(
    `KurrentDB has no position log ${logStream}: open the store with openKurrentDbEventStore (createLog)`,
  );
}

/** Jittered, growing, capped: replicas that collided do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** Math.min(attempt, 7));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
