import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimReadState,
  claimReadStateStatus,
  claimStreamId,
  EventCodec,
  type SourceRecord,
  type TimelineEntry,
  timelineEntry,
} from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_MODELS } from '../projections.tokens';
import { ClaimEventCache } from './claim-event-cache';
import { foldClaimSince, recordedClaimEvent } from './claim-fold-since';
import type { ReadModelQueries } from './read-model-queries';
import { readSourceHistory, SourceHistory } from './source-history';

/** No upper bound on a position: a timeline reads its claim's stream to the head of the log. */
const UNBOUNDED = 2n ** 63n - 1n;

/**
 * `GET /claims/{id}/timeline` from the claim's events in the log (decision 0036): no read model
 * keeps an entry per event. A page folds the claim's incremental state from the latest snapshot at
 * or before its cursor, as a cut read does, and makes each entry after the cursor with the same
 * pure functions the projection used to store them with: the statement the event touched as it
 * stood after it, and the claim's status then by the status rules, against every source as it
 * stood at that event's position (an amendment later in the log does not change an entry).
 * A claim's decoded events are kept per process (ClaimEventCache, as for cut reads), so the pages
 * after the first fold from memory; the status by the rules is the cost of each entry.
 */
@Injectable()
export class ClaimTimeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    /** Both one per process, shared by cut reads and timelines (the API provides them). */
    private readonly events: ClaimEventCache = new ClaimEventCache(),
    private readonly sourceHistory: SourceHistory = new SourceHistory(),
  ) {}

  /** Entries of the claim's events after `afterPosition`, in order; at most `limit` (none: all). */
  async page(claimId: string, afterPosition: bigint, limit?: number): Promise<TimelineEntry[]> {
    const snapshot =
      afterPosition > 0n ? await this.readModels.snapshotAt(claimId, afterPosition) : undefined;
    const streamId = claimStreamId(claimId);
    const events = await this.events.read(
      streamId,
      (snapshot?.streamVersion ?? 0) + 1,
      UNBOUNDED,
      async (fromVersion) =>
        (await this.store.readStream(streamId, { fromVersion })).map((e) =>
          recordedClaimEvent(this.codec, e),
        ),
    );
    const first = events.findIndex((e) => BigInt(e.position) > afterPosition);
    if (first < 0) return [];
    const end = limit === undefined ? events.length : Math.min(events.length, first + limit);
    // Every source is read up to the page's last event: each entry then looks it up at its own.
    const upTo = BigInt(events[end - 1]!.position);
    const entries: TimelineEntry[] = [];
    await foldClaimSince(this.readModels, claimId, snapshot, events.slice(0, end), async (step, i) => {
      if (i < first) return;
      const recorded = events[i]!;
      const status = await this.statusAt(step.state, BigInt(recorded.position), upTo);
      const after = { ...step.state, ...(step.statement && { statement: step.statement }) };
      entries.push(timelineEntry(recorded, after, status));
    });
    return entries;
  }

  /**
   * The claim's status by the status rules with every source as of `position`. The rules look
   * sources up synchronously (positions, then chains of affiliations): whatever they asked for and
   * was not read yet is read (up to `upTo`) and the rules run again, until nothing is missing.
   */
  private async statusAt(state: ClaimReadState, position: bigint, upTo: bigint) {
    for (;;) {
      const missing = new Set<string>();
      const lookup = (sourceId: string): SourceRecord | undefined => {
        const source = this.sourceHistory.at(sourceId, position);
        if (source !== 'unknown') return source;
        missing.add(sourceId);
        return undefined;
      };
      const status = claimReadStateStatus(state, lookup);
      if (missing.size === 0) return status;
      for (const sourceId of missing)
        await readSourceHistory(this.sourceHistory, this.store, this.codec, sourceId, upTo);
    }
  }
}
