import type {
  AbsorbedStatement,
  StatementChanges,
  StatementCorrected,
  StatementFields,
  StatementReported,
  StatementRetracted,
} from '../claim.events';
import type { RetractionFault, RetractionReason, StatementBasis } from '../values';
import { applyChanges, canonicalBasis, canonicalChanges, canonicalFields } from './canonical-fields';
import { comparePositions } from './position';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * One statement with its whole history (DOMAIN.md: "never overwrite one"): the unit both folds
 * share — the full claim record keeps all of them, the incremental read model keeps each as a row.
 *
 * Read models are rebuilt byte for byte, and stores hand event data back with whatever key
 * order they like (PostgreSQL jsonb reorders keys), so every object here is rebuilt with a fixed
 * key order and optional keys are omitted rather than set to undefined.
 */

/** Where an event sits in the log: enough to stamp what it changed. */
export interface EventStamp {
  /** Global position, a decimal string. */
  position: string;
  /** Server-assigned ISO 8601 UTC time. */
  recordedAt: string;
}

export interface CorrectionRecord {
  position: string;
  recordedAt: string;
  reason: string;
  changes: StatementChanges;
}

export interface RetractionRecord {
  reason: RetractionReason;
  faultOf?: RetractionFault;
  note?: string;
  position: string;
  recordedAt: string;
}

export interface StatementRecord {
  statementId: string;
  sourceId: string;
  /** What the statement relays, if anything (never corrected). */
  basis?: StatementBasis;
  /** The fields as first reported; never changed. */
  original: StatementFields;
  /** The fields with every correction applied in order. */
  current: StatementFields;
  reportedPosition: string;
  recordedAt: string;
  corrections: readonly CorrectionRecord[];
  retraction?: RetractionRecord;
  /**
   * A statement of a claim merged into this one (decision 0020): it keeps its id, report position
   * and history, but this claim has held it only since `position` (the ClaimAbsorbed event).
   */
  absorbed?: { from: string; position: string };
}

/**
 * Who made the statement, on what basis, and its current fields, in the key order the history and
 * the timeline show them (`current` is already in the canonical order: canonical-fields.ts).
 */
export function currentStatement(
  statement: StatementRecord,
): StatementFields & { sourceId: string; basis?: StatementBasis } {
  return {
    sourceId: statement.sourceId,
    ...(statement.basis !== undefined && { basis: statement.basis }),
    ...statement.current,
  };
}

export function reportedStatement(data: StatementReported['data'], stamp: EventStamp): StatementRecord {
  const fields = canonicalFields(data);
  return {
    statementId: data.statementId,
    sourceId: data.sourceId,
    ...(data.basis !== undefined && { basis: canonicalBasis(data.basis) }),
    original: fields,
    current: fields,
    reportedPosition: stamp.position,
    recordedAt: stamp.recordedAt,
    corrections: [],
  };
}

/** A merged claim's statement as the surviving claim holds it, rebuilt in the canonical key order. */
export function absorbedStatement(data: AbsorbedStatement, from: string, stamp: EventStamp): StatementRecord {
  const retraction = data.retraction;
  return {
    statementId: data.statementId,
    sourceId: data.sourceId,
    ...(data.basis !== undefined && { basis: canonicalBasis(data.basis) }),
    original: canonicalFields(data.original),
    current: canonicalFields(data.current),
    reportedPosition: data.reportedPosition,
    recordedAt: data.recordedAt,
    corrections: data.corrections.map((c) => ({
      position: c.position,
      recordedAt: c.recordedAt,
      reason: c.reason,
      changes: canonicalChanges(c.changes),
    })),
    ...(retraction !== undefined && {
      retraction: {
        reason: retraction.reason,
        ...(retraction.faultOf !== undefined && { faultOf: retraction.faultOf }),
        ...(retraction.note !== undefined && { note: retraction.note }),
        position: retraction.position,
        recordedAt: retraction.recordedAt,
      },
    }),
    absorbed: { from, position: stamp.position },
  };
}

/** What a merged claim hands over: its statement without the surviving claim's own marker. */
export function toAbsorbed(statement: StatementRecord): AbsorbedStatement {
  const { absorbed: _absorbed, ...rest } = statement;
  return {
    ...rest,
    corrections: [...rest.corrections],
  };
}

/** A correction of a retracted statement is still applied: the log says it happened. */
export function correctedStatement(
  statement: StatementRecord,
  data: StatementCorrected['data'],
  stamp: EventStamp,
): StatementRecord {
  const changes = canonicalChanges(data.changes);
  return {
    ...statement,
    current: applyChanges(statement.current, changes),
    corrections: [
      ...statement.corrections,
      { position: stamp.position, recordedAt: stamp.recordedAt, reason: data.reason, changes },
    ],
  };
}

export function retractedStatement(
  statement: StatementRecord,
  data: StatementRetracted['data'],
  stamp: EventStamp,
): StatementRecord {
  if (statement.retraction !== undefined) {
    throw new StreamInvariantError(`statement ${data.statementId} retracted twice`);
  }
  const retraction: RetractionRecord = {
    reason: data.reason,
    ...(data.faultOf !== undefined && { faultOf: data.faultOf }),
    ...(data.note !== undefined && { note: data.note }),
    position: stamp.position,
    recordedAt: stamp.recordedAt,
  };
  return { ...statement, retraction };
}

/**
 * The statement as the log stood at `position`: undefined if not yet reported, with only the
 * corrections and retraction recorded by then. A current row carries its whole history, so a
 * historical read can take it from the read model instead of folding the stream.
 */
export function statementAt(statement: StatementRecord, position: string): StatementRecord | undefined {
  if (comparePositions(statement.reportedPosition, position) > 0) return undefined;
  if (statement.absorbed !== undefined && comparePositions(statement.absorbed.position, position) > 0)
    return undefined;
  const corrections = statement.corrections.filter((c) => comparePositions(c.position, position) <= 0);
  const retracted =
    statement.retraction !== undefined && comparePositions(statement.retraction.position, position) <= 0;
  if (corrections.length === statement.corrections.length && (retracted || !statement.retraction))
    return statement;
  const { retraction: _dropped, ...rest } = statement;
  return {
    ...rest,
    current: corrections.reduce((fields, c) => applyChanges(fields, c.changes), statement.original),
    corrections,
    ...(retracted && { retraction: statement.retraction }),
  };
}

export function isLive(statement: { retraction?: RetractionRecord }): boolean {
  return statement.retraction === undefined;
}
