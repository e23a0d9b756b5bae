import type { ClaimEventType, StatementChanges, StatementFields } from '../claim.events';
import type { ClaimStatus, Proposition, RetractionFault, StatementBasis, VerdictRating } from '../values';
import type { ClaimHeader, RecordedClaimEvent, VerdictRecord } from './claim-header';
import { type ClaimRecord, findStatement } from './claim-record';
import { currentStatement, type StatementRecord } from './statement-record';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * One line of `GET /claims/{id}/timeline`: the event, and the statement or verdict it touched
 * as it stood right after it (DOMAIN.md: "A timeline entry shows the statement as it stood after
 * that event"), with the claim's status at that moment.
 */

export interface TimelineStatement extends StatementFields {
  sourceId: string;
  basis?: StatementBasis;
  live: boolean;
}

export interface TimelineVerdict {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: string[];
  active: boolean;
}

export interface TimelineEntry {
  position: string;
  streamVersion: number;
  recordedAt: string;
  type: ClaimEventType;
  statementId?: string;
  statement?: TimelineStatement;
  /** What a correction changed (`null` removed a field). */
  changes?: StatementChanges;
  verdict?: TimelineVerdict;
  /** The proposition as opened or reworded. */
  proposition?: Proposition;
  /** Why: of a rewording, correction, retraction or verdict withdrawal. */
  reason?: string;
  /** Whose error a retraction corrects, when the newsroom said. */
  faultOf?: RetractionFault;
  /** The retraction's note, if any. */
  note?: string;
  /** ClaimsMerged: the claim this one was merged into. */
  intoClaimId?: string;
  /** ClaimAbsorbed: the claim merged into this one, and the statements it brought. */
  mergedClaimId?: string;
  statementIds?: string[];
  statusAfter: ClaimStatus;
}

/** The parts of an entry that depend on the event's type. */
type EntryDetail = Omit<TimelineEntry, 'position' | 'streamVersion' | 'recordedAt' | 'type' | 'statusAfter'>;

/** What an entry needs of the claim right after its event: never the whole history. */
export interface TimelineContext {
  claimId: string;
  proposition: Proposition;
  verdicts: ClaimHeader['verdicts'];
  /** The statement the event reported, corrected or retracted, as it stands after it. */
  statement?: StatementRecord;
}

/** The context from a full record (the from-scratch fold) right after `recorded`. */
export function recordTimelineContext(record: ClaimRecord, recorded: RecordedClaimEvent): TimelineContext {
  const { event } = recorded;
  const statement = 'statementId' in event.data ? findStatement(record, event.data.statementId) : undefined;
  return {
    claimId: record.claimId,
    proposition: record.proposition,
    verdicts: record.verdicts,
    ...(statement !== undefined && { statement }),
  };
}

/**
 * `after` is the claim right after `recorded` was folded in and `statusAfter` its status then,
 * so the entry never needs to look ahead or behind.
 */
export function timelineEntry(
  recorded: RecordedClaimEvent,
  after: TimelineContext,
  statusAfter: ClaimStatus,
): TimelineEntry {
  const detail = entryDetail(recorded, after);
  return {
    position: recorded.position,
    streamVersion: recorded.streamVersion,
    recordedAt: recorded.recordedAt,
    type: recorded.event.type,
    ...(detail.statementId !== undefined && { statementId: detail.statementId }),
    ...(detail.statement !== undefined && { statement: detail.statement }),
    ...(detail.changes !== undefined && { changes: detail.changes }),
    ...(detail.verdict !== undefined && { verdict: detail.verdict }),
    ...(detail.proposition !== undefined && { proposition: detail.proposition }),
    ...(detail.reason !== undefined && { reason: detail.reason }),
    ...(detail.faultOf !== undefined && { faultOf: detail.faultOf }),
    ...(detail.note !== undefined && { note: detail.note }),
    ...(detail.intoClaimId !== undefined && { intoClaimId: detail.intoClaimId }),
    ...(detail.mergedClaimId !== undefined && { mergedClaimId: detail.mergedClaimId }),
    ...(detail.statementIds !== undefined && { statementIds: detail.statementIds }),
    statusAfter,
  };
}

function entryDetail(recorded: RecordedClaimEvent, record: TimelineContext): EntryDetail {
  const { event } = recorded;
  switch (event.type) {
    case 'ClaimOpened':
      return { proposition: record.proposition };
    case 'ClaimReworded':
      return { proposition: record.proposition, reason: event.data.reason };
    case 'StatementReported':
      return statementDetail(record, event.data.statementId);
    case 'StatementCorrected':
      return {
        ...statementDetail(record, event.data.statementId),
        changes: correctionChanges(record, event.data.statementId, recorded.position) ?? event.data.changes,
        reason: event.data.reason,
      };
    case 'StatementRetracted':
      return {
        ...statementDetail(record, event.data.statementId),
        reason: event.data.reason,
        ...(event.data.faultOf !== undefined && { faultOf: event.data.faultOf }),
        ...(event.data.note !== undefined && { note: event.data.note }),
      };
    case 'VerdictIssued':
      return { verdict: verdictDetail(record, event.data.verdictId) };
    case 'VerdictWithdrawn':
      return { verdict: verdictDetail(record, event.data.verdictId), reason: event.data.reason };
    case 'ClaimsMerged':
      return { intoClaimId: event.data.intoClaimId, reason: event.data.reason };
    case 'ClaimAbsorbed':
      return {
        mergedClaimId: event.data.mergedClaimId,
        statementIds: event.data.statements.map((s) => s.statementId),
        reason: event.data.reason,
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function statementDetail(record: TimelineContext, statementId: string): EntryDetail {
  const statement = record.statement;
  if (statement?.statementId !== statementId)
    throw new StreamInvariantError(`statement ${statementId} not in claim ${record.claimId}`);
  return {
    statementId,
    statement: {
      ...currentStatement(statement),
      live: statement.retraction === undefined,
    },
  };
}

/** The correction this event recorded, in the record's canonical key order; found by its position. */
function correctionChanges(
  record: TimelineContext,
  statementId: string,
  position: string,
): StatementChanges | undefined {
  const statement = record.statement?.statementId === statementId ? record.statement : undefined;
  return statement?.corrections.find((correction) => correction.position === position)?.changes;
}

function verdictDetail(record: TimelineContext, verdictId: string): TimelineVerdict {
  const verdict = record.verdicts.find((v: VerdictRecord) => v.verdictId === verdictId);
  if (verdict === undefined)
    throw new StreamInvariantError(`verdict ${verdictId} not in claim ${record.claimId}`);
  return {
    verdictId: verdict.verdictId,
    rating: verdict.rating,
    rationale: verdict.rationale,
    evidence: [...verdict.evidence],
    active: verdict.withdrawal === undefined,
  };
}
