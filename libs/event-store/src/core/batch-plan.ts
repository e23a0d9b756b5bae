import type { AppendResult, ExpectedVersion, StoredEvent } from '../port/event-store.port';
import { DuplicateEventError } from '../port/event-store.port';
import {
  EMPTY_STREAM,
  assertExpectedVersion,
  chainEvents,
  type CheckedEvent,
  type StreamTip,
} from './append-plan';
import type { Outcome } from './group-commit';

/** One caller's append, validated, waiting for the next group commit. */
export interface AppendRequest {
  streamId: string;
  events: readonly CheckedEvent[];
  expected: ExpectedVersion;
}

/** What a store read, under its write lock, before planning a batch. */
export interface BatchBase {
  head: bigint;
  /** Tips of the batch's streams that exist; a missing one is an empty stream. */
  tips: ReadonlyMap<string, StreamTip>;
  /** Those of the batch's event ids that are already stored. */
  storedIds: ReadonlySet<string>;
}

export interface BatchPlan {
  /** Per request, in order: its result, or the error it alone fails with. */
  outcomes: Outcome<AppendResult>[];
  /** The events of the successful requests, in position order: what to insert. */
  stored: StoredEvent[];
}

/**
 * Plans a group commit for a store that writes the whole batch in one statement (PostgreSQL):
 * each request is checked, in order, against the base as the requests before it leave it — the
 * tips they moved, the ids they stored, the positions they took — exactly as if they had committed
 * one by one. A failing request takes nothing (no position, no id, no version), so its neighbours
 * are unaffected and positions stay dense. One `recordedAt` for the batch: it is one commit.
 */
export function planBatch(
  requests: readonly AppendRequest[],
  base: BatchBase,
  recordedAt: string,
): BatchPlan {
  const tips = new Map(base.tips);
  const taken = new Set<string>();
  let head = base.head;
  const stored: StoredEvent[] = [];
  const outcomes = requests.map(({ streamId, events, expected }): Outcome<AppendResult> => {
    try {
      // Duplicates before the version check, as in a lone append: a retry of an append that did
      // commit learns that its events are stored, rather than seeing a version conflict.
      for (const { eventId } of events) {
        if (base.storedIds.has(eventId) || taken.has(eventId)) throw new DuplicateEventError(eventId);
      }
      const tip = tips.get(streamId) ?? EMPTY_STREAM;
      assertExpectedVersion(streamId, expected, tip);
      const first = head;
      const appended: StoredEvent[] = chainEvents(streamId, events, tip, recordedAt).map((event, index) => ({
        ...event,
        position: first + BigInt(index + 1),
      }));
      const last = appended.at(-1);
      if (last === undefined) throw new Error('unreachable: checkAppend rejects an empty batch');
      head = last.position;
      tips.set(streamId, { version: last.streamVersion, lastHash: last.metadata.hash });
      for (const { eventId } of events) taken.add(eventId);
      stored.push(...appended);
      return {
        ok: true,
        value: { streamVersion: last.streamVersion, position: last.position, events: appended },
      };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { outcomes, stored };
}
