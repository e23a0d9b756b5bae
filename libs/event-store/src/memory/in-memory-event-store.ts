import { randomUUID } from 'node:crypto';
import {
  DuplicateEventError,
  type AppendResult,
  type Clock,
  type EventContext,
  type EventImporter,
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
  assertExpectedVersion,
  chainEvents,
  checkAppend,
  dataTextOf,
  nextRecordedAt,
  type PendingEvent,
  type StreamTip,
} from '../core/append-plan';
import { AppendedListeners, type EventStoreOptions } from '../core/appended-listeners';
import { asPromise } from '../core/as-promise';
import { EventStoreClosedError, InvalidAppendError } from '../core/errors';
import { checkImport, contextOf } from '../core/import-plan';
import { toJsonValue } from '../core/json-value';
import { fromVersionOf, normalizeInstant, pageRequest, toPosition } from '../core/read-options';

/**
 * A row as the SQLite adapter would hold it: data and context as JSON text, so every read returns
 * fresh objects (callers cannot mutate the log) and anything that would not survive SQLite's JSON
 * round trip fails here too.
 */
interface Row {
  position: bigint;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: string;
  context: string;
  recordedAt: string;
  hash: string;
  prevHash: string;
}

interface StreamState extends StreamTip {
  /** Indexes into `rows`, in version order. */
  rowIndexes: number[];
}

/** The event store for unit tests: the SQLite adapter's semantics, held in process memory. */
export class InMemoryEventStore implements EventStore, EventImporter {
  /** Lives in one process. */
  readonly singleProcess = true;
  /** rows[i] has position i + 1: positions are dense because a failed append writes nothing. */
  private readonly rows: Row[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly eventIds = new Set<string>();
  private readonly listeners: AppendedListeners;
  private closed = false;
  /** Created with the log: one store, one log. */
  private readonly logId = randomUUID();

  constructor(
    private readonly clock: Clock,
    options: EventStoreOptions = {},
  ) {
    this.listeners = new AppendedListeners(options.onListenerError);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    return asPromise(() => {
      const result = this.commit(streamId, events, expected);
      this.listeners.notify(result.position);
      return result;
    });
  }

  /** EventImporter. Positions here are row indexes, so an imported batch must continue densely. */
  importRecorded(events: readonly StoredEvent[]): Promise<void> {
    return asPromise(() => {
      this.assertOpen();
      events.forEach((event, index) => {
        if (event.position !== BigInt(this.rows.length + index + 1)) {
          throw new InvalidAppendError(
            `imported event ${event.eventId} is not at the next position of this store`,
          );
        }
      });
      checkImport(events, {
        head: BigInt(this.rows.length),
        lastRecordedAt: this.rows.at(-1)?.recordedAt,
        tip: (streamId) => this.streams.get(streamId) ?? EMPTY_STREAM,
        hasEventId: (eventId) => this.eventIds.has(eventId),
      });
      for (const event of events) {
        const data = toJsonValue(event.data);
        // As the SQLite store imports: the data text as JSON.stringify writes it, not re-canonicalized.
        this.insert(
          { ...event, data, metadata: { ...contextOf(event.metadata), ...pick(event) } },
          JSON.stringify(data),
        );
      }
      const last = events.at(-1);
      if (last !== undefined) this.listeners.notify(last.position);
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return asPromise(() => {
      this.assertOpen();
      const upTo =
        options.toPosition === undefined ? undefined : toPosition(options.toPosition, 'toPosition');
      const from = fromVersionOf(options);
      const indexes = this.streams.get(streamId)?.rowIndexes ?? [];
      return indexes
        .map((index) => this.rowAt(index))
        .filter((row) => upTo === undefined || row.position <= upTo)
        .filter((row) => row.streamVersion >= from)
        .map(toStoredEvent);
    });
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return asPromise(() => {
      this.assertOpen();
      const { after, to, limit } = pageRequest(options);
      const head = BigInt(this.rows.length);
      const last = to === undefined || to > head ? head : to;
      if (last <= after) return [];
      const start = after < 0n ? 0 : Number(after);
      const end = Math.min(Number(last), start + limit);
      return this.rows.slice(start, end).map(toStoredEvent);
    });
  }

  identity(): Promise<LogIdentity> {
    return asPromise(() => {
      this.assertOpen();
      return { logId: this.logId, firstEventHash: this.rows[0]?.hash ?? null };
    });
  }

  headPosition(): Promise<bigint> {
    return asPromise(() => {
      this.assertOpen();
      return BigInt(this.rows.length);
    });
  }

  positionAt(recordedAt: string): Promise<bigint> {
    return asPromise(() => {
      this.assertOpen();
      return BigInt(this.countRecordedAtOrBefore(normalizeInstant(recordedAt)));
    });
  }

  onAppended(listener: (head: bigint) => void): () => void {
    return this.listeners.add(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }

  /** Every check runs before the first mutation, so a failure leaves the store untouched. */
  private commit(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): AppendResult {
    this.assertOpen();
    const checked = checkAppend(streamId, events, expected, 'stored-text');
    const tip = this.streams.get(streamId) ?? EMPTY_STREAM;
    // Duplicates before the version check, as in SQLite: a retry of a committed append learns so.
    for (const { eventId } of checked) {
      if (this.eventIds.has(eventId)) throw new DuplicateEventError(eventId);
    }
    assertExpectedVersion(streamId, expected, tip);
    const recordedAt = nextRecordedAt(this.clock, this.rows.at(-1)?.recordedAt);
    const stored = chainEvents(streamId, checked, tip, recordedAt).map((event, index) =>
      this.insert(event, dataTextOf(checked, index)),
    );
    const last = stored.at(-1);
    if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
    return { streamVersion: last.streamVersion, position: last.position, events: stored };
  }

  /** `dataText`: the data as stored, the canonical text for appends (JSON.stringify for imports). */
  private insert(event: PendingEvent, dataText: string): StoredEvent {
    const { hash, prevHash, recordedAt, ...context } = event.metadata;
    const row: Row = {
      position: BigInt(this.rows.length + 1),
      eventId: event.eventId,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: dataText,
      context: JSON.stringify(context),
      recordedAt,
      hash,
      prevHash,
    };
    this.rows.push(row);
    this.eventIds.add(row.eventId);
    const stream = this.streams.get(row.streamId) ?? { ...EMPTY_STREAM, rowIndexes: [] };
    stream.version = row.streamVersion;
    stream.lastHash = hash;
    stream.rowIndexes.push(this.rows.length - 1);
    this.streams.set(row.streamId, stream);
    return toStoredEvent(row);
  }

  /** recordedAt never decreases with position, so a binary search finds the cut. */
  private countRecordedAtOrBefore(instant: string): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.rowAt(middle).recordedAt <= instant) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private rowAt(index: number): Row {
    const row = this.rows[index];
    if (row === undefined) throw new Error(`unreachable: no row at index ${index}`);
    return row;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function pick(event: StoredEvent): { recordedAt: string; hash: string; prevHash: string } {
  const { recordedAt, hash, prevHash } = event.metadata;
  return { recordedAt, hash, prevHash };
}

function toStoredEvent(row: Row): StoredEvent {
  const context = JSON.parse(row.context) as EventContext;
  return {
    eventId: row.eventId,
    streamId: row.streamId,
    streamVersion: row.streamVersion,
    position: row.position,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: JSON.parse(row.data) as unknown,
    metadata: { ...context, recordedAt: row.recordedAt, hash: row.hash, prevHash: row.prevHash },
  };
}
