import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimEvent,
  type ClaimRecord,
  claimStreamId,
  type ClaimView,
  deriveClaimView,
  DomainError,
  EventCodec,
  evolveClaimRecord,
  evolveSourceRecord,
  type SourceEvent,
  type SourceRecord,
  sourceStreamId,
} from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';

/**
 * A claim as the log stood at a past position: the claim's stream and every source it names, each
 * folded only up to the cut, so names and affiliations are those recorded by then. The same pure
 * functions as the projection, so a cut at the head equals the current read model.
 */
@Injectable()
export class HistoricalClaims {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
  ) {}

  async at(claimId: string, toPosition: bigint, statedBefore?: string): Promise<ClaimView> {
    const record = await this.foldClaim(claimId, toPosition);
    if (!record) {
      throw new DomainError(
        'CLAIM_NOT_FOUND',
        `claim ${claimId} had not been opened at position ${toPosition}`,
      );
    }
    const sources = await this.foldSources(record, toPosition);
    return deriveClaimView(
      record,
      (id) => sources.get(id),
      statedBefore === undefined ? {} : { statedBefore },
    );
  }

  private async foldClaim(claimId: string, toPosition: bigint): Promise<ClaimRecord | undefined> {
    const stored = await this.store.readStream(claimStreamId(claimId), { toPosition });
    let record: ClaimRecord | undefined;
    for (const event of stored) {
      record = evolveClaimRecord(record, {
        event: this.codec.decode(event) as ClaimEvent,
        position: event.position.toString(),
        recordedAt: event.metadata.recordedAt,
        streamVersion: event.streamVersion,
      });
    }
    return record;
  }

  /** The sources the claim's statements name, and the organizations they were affiliated with. */
  private async foldSources(record: ClaimRecord, toPosition: bigint): Promise<Map<string, SourceRecord>> {
    const sources = new Map<string, SourceRecord>();
    const load = async (sourceId: string): Promise<SourceRecord | undefined> => {
      if (sources.has(sourceId)) return sources.get(sourceId);
      const stored = await this.store.readStream(sourceStreamId(sourceId), { toPosition });
      let source: SourceRecord | undefined;
      for (const event of stored)
        source = evolveSourceRecord(source, this.codec.decode(event) as SourceEvent);
      if (source) sources.set(sourceId, source);
      return source;
    };
    for (const statement of record.statements) {
      const source = await load(statement.sourceId);
      if (source?.affiliationId) await load(source.affiliationId);
    }
    return sources;
  }
}
