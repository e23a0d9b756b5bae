import type { StatementChanges, StatementFields } from '../claim.events';
import type { RetractionFault, RetractionReason, StatementBasis } from '../values';
import type { ClaimRecord } from './claim-record';
import { consideredStatements, type DeriveClaimViewOptions, latestBySource } from './claim-view';
import { positionOrder } from './moment';
import { slotOf } from './relay';
import { currentStatement, isLive, type StatementRecord } from './statement-record';

/**
 * A statement as the paged history shows it (GET /claims/{id}/statements): its current fields,
 * the original when a correction changed them, its corrections and retraction, and whether it is
 * live and whether a later statement of its source superseded it. Never part of the claim's view.
 */

export interface CorrectionView {
  position: string;
  recordedAt: string;
  reason: string;
  changes: StatementChanges;
}

export interface RetractionView {
  reason: RetractionReason;
  faultOf?: RetractionFault;
  note?: string;
  position: string;
  recordedAt: string;
}

/** One statement of the paged history (GET /claims/{id}/statements): its current fields and more. */
export interface StatementView extends StatementFields {
  statementId: string;
  sourceId: string;
  /** What the statement relays (a source, or a statement of this claim). */
  basis?: StatementBasis;
  reportedPosition: string;
  recordedAt: string;
  /** The fields as first reported, present only when a correction changed them. */
  original?: StatementFields;
  corrections: CorrectionView[];
  retraction: RetractionView | null;
  live: boolean;
  /** Live, but a later statement of the same source on the same basis is its position. */
  superseded: boolean;
  /** Reported on a claim since merged into this one (decision 0020): that claim's id. */
  mergedFrom?: string;
}

/** A statement of the history; `isPosition` says whether it is its source's position now. */
export function statementView(statement: StatementRecord, isPosition: boolean): StatementView {
  const live = isLive(statement);
  return {
    statementId: statement.statementId,
    ...currentStatement(statement),
    reportedPosition: statement.reportedPosition,
    recordedAt: statement.recordedAt,
    ...(statement.corrections.length > 0 && { original: statement.original }),
    corrections: [...statement.corrections],
    retraction: statement.retraction ?? null,
    live,
    superseded: live && !isPosition,
    ...(statement.absorbed !== undefined && { mergedFrom: statement.absorbed.from }),
  };
}

/** Every statement of a record as the history lists them, in report order (tests, exports). */
export function statementViews(record: ClaimRecord, options: DeriveClaimViewOptions = {}): StatementView[] {
  const considered = consideredStatements(record.statements, options.statedBefore);
  const positions = latestBySource(considered.filter(isLive), positionOrder(record.varies));
  return considered.map((s) => statementView(s, positions.get(slotOf(s)) === s));
}
