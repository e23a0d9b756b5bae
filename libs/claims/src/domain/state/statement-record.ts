import type {
  AbsorbedStatement,
  StatementChanges,
  StatementCorrected,
  StatementFields,
  StatementReported,
  StatementRetracted,
} from '../claim.events';
import type {
  ClaimValue,
  Proposition,
  Quote,
  RetractionFault,
  RetractionReason,
  StatedAt,
  StatementBasis,
  Via,
} from '../values';
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

/** What decides a source's position (DOMAIN.md rule 1): the current stated time, then the report. */
export type StatedOrdered = { current: Pick<StatementFields, 'statedAt'>; reportedPosition: string };

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

/**
 * DOMAIN.md rules 1 and 2 share one order: stated time compared as given (as instants, whatever
 * the precision), ties to the later recorded. An unparseable time sorts first, so it never
 * silently supersedes a statement whose time is known.
 */
export function compareStatedOrder(a: StatedOrdered, b: StatedOrdered): number {
  return (
    compareInstants(a.current.statedAt.at, b.current.statedAt.at) ||
    comparePositions(a.reportedPosition, b.reportedPosition)
  );
}

function compareInstants(a: string, b: string): number {
  // The same text is the same instant (or the same unparseable text): most comparisons on a busy
  // claim, whose voices speak at the same stated times, without two Date.parse calls each.
  if (a === b) return 0;
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (!Number.isNaN(x)) return 1;
    if (!Number.isNaN(y)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return x - y;
}

/** `null` removes an optional field, `undefined` keeps it, anything else replaces it. */
function applyChanges(current: StatementFields, changes: StatementChanges): StatementFields {
  return canonicalFields({
    stance: changes.stance ?? current.stance,
    value: pick(changes.value, current.value),
    quote: changes.quote ?? current.quote,
    statedAt: changes.statedAt ?? current.statedAt,
    asOf: pick(changes.asOf, current.asOf),
    via: pick(changes.via, current.via),
    attribution: changes.attribution ?? current.attribution,
  });
}

function pick<T>(change: T | null | undefined, current: T | undefined): T | undefined {
  if (change === null) return undefined;
  return change === undefined ? current : change;
}

type LooseFields = Omit<StatementFields, 'value' | 'via' | 'asOf'> & {
  value?: ClaimValue | undefined;
  via?: Via | undefined;
  asOf?: StatedAt | undefined;
};

/** Copies only the statement's own fields (the event also carries ids) in a fixed key order. */
function canonicalFields(fields: LooseFields): StatementFields {
  return {
    stance: fields.stance,
    ...(fields.value !== undefined && { value: canonicalValue(fields.value) }),
    quote: canonicalQuote(fields.quote),
    statedAt: canonicalStatedAt(fields.statedAt),
    ...(fields.asOf !== undefined && { asOf: canonicalStatedAt(fields.asOf) }),
    ...(fields.via !== undefined && { via: canonicalVia(fields.via) }),
    attribution: fields.attribution,
  };
}

function canonicalChanges(changes: StatementChanges): StatementChanges {
  return {
    ...(changes.stance !== undefined && { stance: changes.stance }),
    ...(changes.value !== undefined && {
      value: changes.value === null ? null : canonicalValue(changes.value),
    }),
    ...(changes.quote !== undefined && { quote: canonicalQuote(changes.quote) }),
    ...(changes.statedAt !== undefined && { statedAt: canonicalStatedAt(changes.statedAt) }),
    ...(changes.asOf !== undefined && {
      asOf: changes.asOf === null ? null : canonicalStatedAt(changes.asOf),
    }),
    ...(changes.via !== undefined && { via: changes.via === null ? null : canonicalVia(changes.via) }),
    ...(changes.attribution !== undefined && { attribution: changes.attribution }),
  };
}

export function canonicalBasis(basis: StatementBasis): StatementBasis {
  return 'statementId' in basis ? { statementId: basis.statementId } : { sourceId: basis.sourceId };
}

export function canonicalProposition(proposition: Proposition): Proposition {
  return { text: proposition.text, language: proposition.language };
}

function canonicalQuote(quote: Quote): Quote {
  return {
    text: quote.text,
    language: quote.language,
    ...(quote.translatedFrom !== undefined && { translatedFrom: quote.translatedFrom }),
    ...(quote.translation !== undefined && {
      translation: { text: quote.translation.text, language: quote.translation.language },
    }),
  };
}

function canonicalStatedAt(statedAt: StatedAt): StatedAt {
  return { at: statedAt.at, precision: statedAt.precision };
}

function canonicalVia(via: Via): Via {
  return {
    outlet: via.outlet,
    kind: via.kind,
    ...(via.url !== undefined && { url: via.url }),
    ...(via.reportedAt !== undefined && { reportedAt: via.reportedAt }),
  };
}

/** Quantity and date values in their documented key order; anything unexpected is kept as stored. */
function canonicalValue(value: ClaimValue): ClaimValue {
  if (typeof value !== 'object' || value === null) return value;
  if ('exact' in value) return { exact: value.exact };
  if ('approx' in value) return { approx: value.approx };
  if ('min' in value && 'max' in value) return { min: value.min, max: value.max };
  if ('min' in value) return { min: value.min };
  if ('max' in value) return { max: value.max };
  if ('date' in value) {
    return {
      date: value.date,
      precision: value.precision,
      ...(value.timeZone !== undefined && { timeZone: value.timeZone }),
    };
  }
  return value;
}
