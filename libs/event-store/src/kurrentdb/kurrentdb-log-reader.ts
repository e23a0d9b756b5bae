import {
  BACKWARDS,
  END,
  START,
  type Position,
  type ReadPosition,
  type RecordedEvent,
} from '@kurrent/kurrentdb-client';
import type { StoredEvent } from '../port/event-store.port';
import { EMPTY_STREAM, type StreamTip } from '../core/append-plan';
import type { KurrentDbStreamNames } from './kurrentdb-names';
import { fromRecordedEvent, ourStreamsFilter, revisionToVersion } from './kurrentdb-mapping';
import { parseLogCreated, parseMarker, seekPlan } from './kurrentdb-position-log';
import { KurrentDbCorruptEventError, isStreamNotFound, translateError } from './kurrentdb-errors';
import type { KurrentDbClientLike } from './kurrentdb-event-store';

/** The head of the position log: the last position and when it was recorded (none while empty). */
export interface LogHead {
  position: bigint;
  recordedAt: string | undefined;
}

/**
 * Every read the store makes, over the layout of decision 0006. Holds one piece of state: the `$all`
 * position of the last event a page returned, so that a reader paging on (the projector, the
 * auditor) continues there instead of seeking through the position log again.
 */
export class KurrentDbLogReader {
  private cursor: { position: bigint; at: Position } | undefined;

  constructor(
    private readonly client: KurrentDbClientLike,
    private readonly names: KurrentDbStreamNames,
  ) {}

  async readStream(streamId: string, fromVersion: number, to: bigint | undefined): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    await this.read(async () => {
      const name = this.names.toStreamName(streamId);
      for await (const resolved of this.client.readStream(name, { fromRevision: BigInt(fromVersion - 1) })) {
        if (resolved.event === undefined) continue;
        const event = fromRecordedEvent(resolved.event, this.names);
        // Positions grow with versions within a stream: nothing after this one is inside the cut.
        if (to !== undefined && event.position > to) break;
        events.push(event);
      }
    });
    return events;
  }

  /** Up to `wanted` events after `after`, dense and in position order. */
  async readPage(after: bigint, wanted: number): Promise<StoredEvent[]> {
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
        const expected = after + BigInt(events.length + 1);
        if (event.position !== expected) {
          throw new KurrentDbCorruptEventError(`$all at position ${expected}`, `holds ${event.position}`);
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
   * Where to read `$all` from: the cursor when the reader pages on, otherwise through the position
   * log (seekPlan): two single-record reads.
   */
  private async seek(
    after: bigint,
    wanted: number,
  ): Promise<{ from: ReadPosition; maxCount: number } | undefined> {
    const cursor = this.cursor;
    if (cursor !== undefined && cursor.position === after) return { from: cursor.at, maxCount: wanted + 1 };
    const target = await this.logAt(after + 1n);
    if (target === undefined) return undefined;
    const plan = seekPlan(after, parseMarker(target).batchStart, wanted);
    const anchor = await this.requireLogAt(plan.anchorRevision);
    const anchorMarker = plan.anchorRevision === 0n ? undefined : parseMarker(anchor);
    return { from: positionOf(anchor), maxCount: plan.maxCount(anchorMarker) };
  }

  async streamTip(streamId: string): Promise<StreamTip> {
    const last = await this.lastOf(this.names.toStreamName(streamId));
    if (last === undefined) return EMPTY_STREAM;
    return {
      version: revisionToVersion(last.revision),
      lastHash: fromRecordedEvent(last, this.names).metadata.hash,
    };
  }

  async logHead(): Promise<LogHead> {
    const last = await this.lastOf(this.names.logStream);
    if (last === undefined) throw missingLog(this.names.logStream);
    if (last.revision === 0n) return { position: 0n, recordedAt: undefined };
    const marker = parseMarker(last);
    return { position: marker.position, recordedAt: marker.recordedAt };
  }

  /** The log id from LogCreated; undefined when the log has not been created. */
  async logId(): Promise<string | undefined> {
    const created = await this.logAt(0n);
    return created === undefined ? undefined : parseLogCreated(created);
  }

  async firstEventHash(): Promise<string | null> {
    const first = await this.logAt(1n);
    return first === undefined ? null : parseMarker(first).hash;
  }

  /** The last position recorded at or before `instant` (normalised ISO); 0n if none. */
  async positionAt(instant: string): Promise<bigint> {
    const head = await this.logHead();
    if (head.recordedAt === undefined || head.recordedAt <= instant) return head.position;
    // recordedAt never decreases with position: binary search over the markers, one read per probe.
    let low = 0n; // recorded at or before the instant (0 = nothing)
    let high = head.position; // recorded after it
    while (high - low > 1n) {
      const middle = (low + high) / 2n;
      if (parseMarker(await this.requireLogAt(middle)).recordedAt <= instant) low = middle;
      else high = middle;
    }
    return low;
  }

  async exists(streamName: string): Promise<boolean> {
    return (await this.lastOf(streamName)) !== undefined;
  }

  /** The position log's record at a revision (= position; 0 is LogCreated), or undefined past the end. */
  async logAt(revision: bigint): Promise<RecordedEvent | undefined> {
    let found: RecordedEvent | undefined;
    await this.read(async () => {
      const fromRevision = revision === 0n ? START : revision;
      for await (const resolved of this.client.readStream(this.names.logStream, {
        fromRevision,
        maxCount: 1,
      })) {
        if (resolved.event?.revision === revision) found = resolved.event;
      }
    });
    return found;
  }

  private async requireLogAt(revision: bigint): Promise<RecordedEvent> {
    const found = await this.logAt(revision);
    if (found === undefined)
      throw new KurrentDbCorruptEventError(`${this.names.logStream}@${revision}`, 'is missing');
    return found;
  }

  private async lastOf(streamName: string): Promise<RecordedEvent | undefined> {
    let last: RecordedEvent | undefined;
    await this.read(async () => {
      const options = { direction: BACKWARDS, fromRevision: END, maxCount: 1 } as const;
      for await (const resolved of this.client.readStream(streamName, options)) last = resolved.event;
    });
    return last;
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
}

export function missingLog(logStream: string): Error {
  return new Error(
    `KurrentDB has no position log ${logStream}: open the store with openKurrentDbEventStore (createLog)`,
  );
}

function positionOf(recorded: RecordedEvent): Position {
  if (recorded.position === undefined) {
    throw new KurrentDbCorruptEventError(
      `${recorded.streamId}@${recorded.revision}`,
      'came without its $all position (KurrentDB 25.1 or later is required)',
    );
  }
  return recorded.position;
}
