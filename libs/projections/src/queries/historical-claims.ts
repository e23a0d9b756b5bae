import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimReadState,
  type ClaimRecord,
  claimReadStateView,
  claimStreamId,
  type ClaimView,
  deriveClaimView,
  DomainError,
  EventCodec,
  foldClaimRecord,
  type SourceRecord,
} from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_MODELS } from '../projections.tokens';
import type { ReadModelQueries } from './read-model-queries';
import { ClaimEventCache } from './claim-event-cache';
import { foldClaimSince, recordedClaimEvent } from './claim-fold-since';
import { readSourceHistory, SourceHistory } from './source-history';

/**
 * A claim as the log stood at a past position: the claim's stream and every source it names, each
 * folded only up to the cut, so names and affiliations are those recorded by then. The same pure
 * functions as the projection, so a cut at the head equals the current read model.
 *
 * Without `statedBefore` the read folds the incremental state (positions per source) in place,
 * starting from the latest snapshot at or before the cut (kept beside the read models every
 * SNAPSHOT_EVERY events) and reading only the events after it: its cost is bounded by the events
 * since the snapshot, not by the claim's history, and those events are read and decoded once per
 * process (ClaimEventCache). With `statedBefore` every statement matters, so it folds the whole
 * stream up to the cut, in place: linear in the claim's events.
 */
@Injectable()
export class HistoricalClaims {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    /** Both one per process, shared by cut reads and timelines (the API provides them). */
    private readonly events: ClaimEventCache = new ClaimEventCache(),
    private readonly sourceHistory: SourceHistory = new SourceHistory(),
  ) {}

  async at(claimId: string, toPosition: bigint, statedBefore?: string): Promise<ClaimView> {
    const notOpened = () =>
      new DomainError('CLAIM_NOT_FOUND', `claim ${claimId} had not been opened at position ${toPosition}`);
    if (statedBefore !== undefined) {
      const record = await this.foldRecord(claimId, toPosition);
      if (!record) throw notOpened();
      const sources = await this.foldSources(
        record.statements.map((s) => s.sourceId),
        toPosition,
      );
      return deriveClaimView(record, (id) => sources.get(id), { statedBefore });
    }
    const state = await this.foldState(claimId, toPosition);
    if (!state) throw notOpened();
    const sources = await this.foldSources(
      state.positions.map((p) => p.sourceId),
      toPosition,
    );
    return claimReadStateView(state, (id) => sources.get(id));
  }

  /** The incremental state at the cut: from the snapshot at or before it, then the events after. */
  async foldState(claimId: string, toPosition: bigint): Promise<ClaimReadState | undefined> {
    const snapshot = await this.readModels.snapshotAt(claimId, toPosition);
    const streamId = claimStreamId(claimId);
    const events = await this.events.read(
      streamId,
      (snapshot?.streamVersion ?? 0) + 1,
      toPosition,
      async (from) =>
        (await this.store.readStream(streamId, { toPosition, fromVersion: from })).map((e) =>
          recordedClaimEvent(this.codec, e),
        ),
    );
    return foldClaimSince(this.readModels, claimId, snapshot, events);
  }

  private async foldRecord(claimId: string, toPosition: bigint): Promise<ClaimRecord | undefined> {
    const stored = await this.store.readStream(claimStreamId(claimId), { toPosition });
    return foldClaimRecord(stored.map((event) => recordedClaimEvent(this.codec, event)));
  }

  /** These sources and the chains of organizations above them, each folded up to the cut. */
  private async foldSources(
    sourceIds: readonly string[],
    toPosition: bigint,
  ): Promise<Map<string, SourceRecord>> {
    const sources = new Map<string, SourceRecord>();
    // What is remembered must be final: never past the head (a cut beyond it would otherwise
    // remember a stream that later appends extend below the cut).
    let upTo: bigint | undefined;
    const load = async (sourceId: string): Promise<SourceRecord | undefined> => {
      if (sources.has(sourceId)) return sources.get(sourceId);
      let source = this.sourceHistory.at(sourceId, toPosition);
      if (source === 'unknown') {
        upTo ??= minimum(toPosition, await this.store.headPosition());
        source = await readSourceHistory(this.sourceHistory, this.store, this.codec, sourceId, upTo);
      }
      if (source) sources.set(sourceId, source);
      return source;
    };
    // A voice is the top of the chain of affiliations (voiceOf), however many links up: load them
    // all (only the first was loaded, so a cut read named a middle office as the voice).
    for (const sourceId of new Set(sourceIds)) {
      const seen = new Set<string>([sourceId]);
      let source = await load(sourceId);
      while (source?.affiliationId !== undefined && !seen.has(source.affiliationId)) {
        seen.add(source.affiliationId);
        source = await load(source.affiliationId);
      }
    }
    return sources;
  }
}

const minimum = (a: bigint, b: bigint): bigint => (a < b ? a : b);
