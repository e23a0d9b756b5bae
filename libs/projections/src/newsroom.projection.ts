import {
  type ClaimEvent,
  type ClaimRecord,
  type ClaimView,
  deriveClaimView,
  evolveClaimRecord,
  evolveSourceRecord,
  type SourceEvent,
  type SourceRecord,
  type TimelineEntry,
  timelineEntry,
} from '@app/claims';

/** Synchronous lookups into the read model as it stands before the event (inside the batch's transaction). */
export interface ReadModelReader {
  source(sourceId: string): SourceRecord | undefined;
  claim(claimId: string): ClaimRecord | undefined;
  /** Claims with a statement by any of these sources. */
  claimsWithSources(sourceIds: readonly string[]): string[];
  /** Sources whose affiliation is this organization (they speak with its voice). */
  sourcesAffiliatedWith(sourceId: string): string[];
}

export interface ProjectedClaim {
  record: ClaimRecord;
  view: ClaimView;
}

/** What one event changes; the runner writes it before the next event is projected. */
export interface ReadModelChanges {
  sources: SourceRecord[];
  claims: ProjectedClaim[];
  timeline: { claimId: string; entry: TimelineEntry }[];
  claimSources: { claimId: string; sourceId: string }[];
}

export interface ProjectableEvent {
  event: ClaimEvent | SourceEvent;
  position: bigint;
  recordedAt: string;
  streamVersion: number;
}

const NO_CHANGES: ReadModelChanges = { sources: [], claims: [], timeline: [], claimSources: [] };

/**
 * The read model's evolve: pure, given the reader. Claim events update that claim, its timeline
 * and its source index; source events update the source and re-derive every claim whose voices,
 * names or affiliations it touches, so current state always uses today's names and affiliations.
 */
export function projectEvent(reader: ReadModelReader, projectable: ProjectableEvent): ReadModelChanges {
  const { event } = projectable;
  switch (event.type) {
    case 'SourceRegistered':
    case 'SourceAmended':
      return projectSourceEvent(reader, event);
    case 'ClaimOpened':
    case 'ClaimReworded':
    case 'StatementReported':
    case 'StatementCorrected':
    case 'StatementRetracted':
    case 'VerdictIssued':
    case 'VerdictWithdrawn':
      return projectClaimEvent(reader, { ...projectable, event });
    default: {
      const _exhaustive: never = event;
      return NO_CHANGES;
    }
  }
}

function projectSourceEvent(reader: ReadModelReader, event: SourceEvent): ReadModelChanges {
  const source = evolveSourceRecord(reader.source(event.data.sourceId), event);
  if (event.type === 'SourceRegistered') return { ...NO_CHANGES, sources: [source] };
  const lookup = withOverride(reader, source);
  const touched = [source.sourceId, ...reader.sourcesAffiliatedWith(source.sourceId)];
  const claims = reader.claimsWithSources(touched).flatMap((claimId) => {
    const record = reader.claim(claimId);
    return record ? [{ record, view: deriveClaimView(record, lookup) }] : [];
  });
  return { ...NO_CHANGES, sources: [source], claims };
}

function projectClaimEvent(
  reader: ReadModelReader,
  projectable: ProjectableEvent & { event: ClaimEvent },
): ReadModelChanges {
  const { event } = projectable;
  const recorded = {
    event,
    position: projectable.position.toString(),
    recordedAt: projectable.recordedAt,
    streamVersion: projectable.streamVersion,
  };
  const record = evolveClaimRecord(reader.claim(event.data.claimId), recorded);
  const view = deriveClaimView(record, (id) => reader.source(id));
  const entry = timelineEntry(recorded, record, view);
  const claimSources =
    event.type === 'StatementReported' ? [{ claimId: record.claimId, sourceId: event.data.sourceId }] : [];
  return {
    sources: [],
    claims: [{ record, view }],
    timeline: [{ claimId: record.claimId, entry }],
    claimSources,
  };
}

function withOverride(reader: ReadModelReader, source: SourceRecord) {
  return (sourceId: string): SourceRecord | undefined =>
    sourceId === source.sourceId ? source : reader.source(sourceId);
}
