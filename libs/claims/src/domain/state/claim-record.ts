import type {
  ClaimEvent,
  ClaimOpened,
  ClaimReworded,
  StatementChanges,
  StatementCorrected,
  StatementFields,
  StatementReported,
  StatementRetracted,
  VerdictIssued,
  VerdictWithdrawn,
} from '../claim.events';
import type {
  ClaimValue,
  Proposition,
  Quote,
  RetractionReason,
  StatedAt,
  ValueKind,
  VerdictRating,
  Via,
} from '../values';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * The read-side fold of one claim stream: everything the views and the timeline need, with the
 * whole history of each statement kept (DOMAIN.md: "never overwrite one").
 *
 * Read models are rebuilt byte for byte, and stores hand event data back with whatever key
 * order they like (PostgreSQL jsonb reorders keys), so every object here is rebuilt with a fixed
 * key order and optional keys are omitted rather than set to undefined.
 */

/** One stored claim event with the store's metadata. */
export interface RecordedClaimEvent {
  event: ClaimEvent;
  /** Global position, a decimal string. */
  position: string;
  /** Server-assigned ISO 8601 UTC time. */
  recordedAt: string;
  streamVersion: number;
}

export interface CorrectionRecord {
  position: string;
  recordedAt: string;
  reason: string;
  changes: StatementChanges;
}

export interface RetractionRecord {
  reason: RetractionReason;
  note?: string;
  position: string;
  recordedAt: string;
}

export interface StatementRecord {
  statementId: string;
  sourceId: string;
  /** The fields as first reported; never changed. */
  original: StatementFields;
  /** The fields with every correction applied in order. */
  current: StatementFields;
  reportedPosition: string;
  recordedAt: string;
  corrections: readonly CorrectionRecord[];
  retraction?: RetractionRecord;
}

export interface VerdictWithdrawalRecord {
  reason: string;
  position: string;
  recordedAt: string;
}

export interface VerdictRecord {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: readonly string[];
  /** Position of the VerdictIssued event. */
  position: string;
  issuedAt: string;
  withdrawal?: VerdictWithdrawalRecord;
}

export interface RewordingRecord {
  previous: Proposition;
  proposition: Proposition;
  reason: string;
  position: string;
  recordedAt: string;
}

export interface ClaimRecord {
  claimId: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
  /** Global position and time of ClaimOpened: a stable order for listing claims. */
  openedPosition: string;
  openedAt: string;
  /** Version and global position of the last event folded in. */
  streamVersion: number;
  position: string;
  lastRecordedAt: string;
  rewordings: readonly RewordingRecord[];
  /** In the order they were reported. */
  statements: readonly StatementRecord[];
  /** In the order they were issued, withdrawn ones included. */
  verdicts: readonly VerdictRecord[];
}

/** Pure: returns a new record (sharing untouched parts) and never mutates its inputs. */
export function evolveClaimRecord(
  record: ClaimRecord | undefined,
  recorded: RecordedClaimEvent,
): ClaimRecord {
  const { event } = recorded;
  if (event.type === 'ClaimOpened') return opened(record, event.data, recorded);
  const existing = requireOpened(record, event);
  return stamp(applyToOpened(existing, recorded), recorded);
}

/** The active verdict: the latest issued that has not been withdrawn. */
export function activeVerdict(record: ClaimRecord): VerdictRecord | undefined {
  return record.verdicts.findLast((verdict) => verdict.withdrawal === undefined);
}

export function findStatement(record: ClaimRecord, statementId: string): StatementRecord | undefined {
  return record.statements.find((statement) => statement.statementId === statementId);
}

function applyToOpened(record: ClaimRecord, recorded: RecordedClaimEvent): ClaimRecord {
  const { event } = recorded;
  switch (event.type) {
    case 'ClaimOpened':
      throw new StreamInvariantError(`claim ${record.claimId} opened twice`);
    case 'ClaimReworded':
      return reworded(record, event.data, recorded);
    case 'StatementReported':
      return reported(record, event.data, recorded);
    case 'StatementCorrected':
      return corrected(record, event.data, recorded);
    case 'StatementRetracted':
      return retracted(record, event.data, recorded);
    case 'VerdictIssued':
      return verdictIssued(record, event.data, recorded);
    case 'VerdictWithdrawn':
      return verdictWithdrawn(record, event.data, recorded);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function requireOpened(record: ClaimRecord | undefined, event: ClaimEvent): ClaimRecord {
  if (record === undefined) {
    throw new StreamInvariantError(`${event.type} for claim ${event.data.claimId} before ClaimOpened`);
  }
  if (record.claimId !== event.data.claimId) {
    throw new StreamInvariantError(
      `${event.type} for claim ${event.data.claimId} in the stream of ${record.claimId}`,
    );
  }
  return record;
}

/** Spreading keeps the existing key order; these keys already exist on every record. */
function stamp(record: ClaimRecord, recorded: RecordedClaimEvent): ClaimRecord {
  return {
    ...record,
    streamVersion: recorded.streamVersion,
    position: recorded.position,
    lastRecordedAt: recorded.recordedAt,
  };
}

function opened(
  record: ClaimRecord | undefined,
  data: ClaimOpened['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  if (record !== undefined) throw new StreamInvariantError(`claim ${data.claimId} opened twice`);
  return {
    claimId: data.claimId,
    storyId: data.storyId,
    proposition: canonicalProposition(data.proposition),
    valueKind: data.valueKind,
    ...(data.unit !== undefined && { unit: data.unit }),
    openedPosition: recorded.position,
    openedAt: recorded.recordedAt,
    streamVersion: recorded.streamVersion,
    position: recorded.position,
    lastRecordedAt: recorded.recordedAt,
    rewordings: [],
    statements: [],
    verdicts: [],
  };
}

function reworded(
  record: ClaimRecord,
  data: ClaimReworded['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  const proposition = canonicalProposition(data.proposition);
  const rewording: RewordingRecord = {
    previous: record.proposition,
    proposition,
    reason: data.reason,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
  };
  return { ...record, proposition, rewordings: [...record.rewordings, rewording] };
}

function reported(
  record: ClaimRecord,
  data: StatementReported['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  if (findStatement(record, data.statementId) !== undefined) {
    throw new StreamInvariantError(`statement ${data.statementId} reported twice`);
  }
  const fields = canonicalFields(data);
  const statement: StatementRecord = {
    statementId: data.statementId,
    sourceId: data.sourceId,
    original: fields,
    current: fields,
    reportedPosition: recorded.position,
    recordedAt: recorded.recordedAt,
    corrections: [],
  };
  return { ...record, statements: [...record.statements, statement] };
}

/** A correction of a retracted statement is still applied: the log says it happened. */
function corrected(
  record: ClaimRecord,
  data: StatementCorrected['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  const changes = canonicalChanges(data.changes);
  return updateStatement(record, data.statementId, (statement) => ({
    ...statement,
    current: applyChanges(statement.current, changes),
    corrections: [
      ...statement.corrections,
      { position: recorded.position, recordedAt: recorded.recordedAt, reason: data.reason, changes },
    ],
  }));
}

function retracted(
  record: ClaimRecord,
  data: StatementRetracted['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  return updateStatement(record, data.statementId, (statement) => {
    if (statement.retraction !== undefined) {
      throw new StreamInvariantError(`statement ${data.statementId} retracted twice`);
    }
    const retraction: RetractionRecord = {
      reason: data.reason,
      ...(data.note !== undefined && { note: data.note }),
      position: recorded.position,
      recordedAt: recorded.recordedAt,
    };
    return { ...statement, retraction };
  });
}

function verdictIssued(
  record: ClaimRecord,
  data: VerdictIssued['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  if (record.verdicts.some((verdict) => verdict.verdictId === data.verdictId)) {
    throw new StreamInvariantError(`verdict ${data.verdictId} issued twice`);
  }
  const verdict: VerdictRecord = {
    verdictId: data.verdictId,
    rating: data.rating,
    rationale: data.rationale,
    evidence: [...data.evidence],
    position: recorded.position,
    issuedAt: recorded.recordedAt,
  };
  return { ...record, verdicts: [...record.verdicts, verdict] };
}

function verdictWithdrawn(
  record: ClaimRecord,
  data: VerdictWithdrawn['data'],
  recorded: RecordedClaimEvent,
): ClaimRecord {
  const index = record.verdicts.findIndex((verdict) => verdict.verdictId === data.verdictId);
  const verdict = record.verdicts[index];
  if (verdict === undefined)
    throw new StreamInvariantError(`verdict ${data.verdictId} withdrawn but never issued`);
  if (verdict.withdrawal !== undefined)
    throw new StreamInvariantError(`verdict ${data.verdictId} withdrawn twice`);
  const withdrawal: VerdictWithdrawalRecord = {
    reason: data.reason,
    position: recorded.position,
    recordedAt: recorded.recordedAt,
  };
  return { ...record, verdicts: record.verdicts.with(index, { ...verdict, withdrawal }) };
}

function updateStatement(
  record: ClaimRecord,
  statementId: string,
  update: (statement: StatementRecord) => StatementRecord,
): ClaimRecord {
  const index = record.statements.findIndex((statement) => statement.statementId === statementId);
  const statement = record.statements[index];
  if (statement === undefined)
    throw new StreamInvariantError(`statement ${statementId} not in claim ${record.claimId}`);
  return { ...record, statements: record.statements.with(index, update(statement)) };
}

/** `null` removes an optional field, `undefined` keeps it, anything else replaces it. */
function applyChanges(current: StatementFields, changes: StatementChanges): StatementFields {
  return canonicalFields({
    stance: changes.stance ?? current.stance,
    value: pick(changes.value, current.value),
    quote: changes.quote ?? current.quote,
    statedAt: changes.statedAt ?? current.statedAt,
    via: pick(changes.via, current.via),
    attribution: changes.attribution ?? current.attribution,
  });
}

function pick<T>(change: T | null | undefined, current: T | undefined): T | undefined {
  if (change === null) return undefined;
  return change === undefined ? current : change;
}

type LooseFields = Omit<StatementFields, 'value' | 'via'> & {
  value?: ClaimValue | undefined;
  via?: Via | undefined;
};

/** Copies only the statement's own fields (the event also carries ids) in a fixed key order. */
function canonicalFields(fields: LooseFields): StatementFields {
  return {
    stance: fields.stance,
    ...(fields.value !== undefined && { value: canonicalValue(fields.value) }),
    quote: canonicalQuote(fields.quote),
    statedAt: canonicalStatedAt(fields.statedAt),
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
    ...(changes.via !== undefined && { via: changes.via === null ? null : canonicalVia(changes.via) }),
    ...(changes.attribution !== undefined && { attribution: changes.attribution }),
  };
}

function canonicalProposition(proposition: Proposition): Proposition {
  return { text: proposition.text, language: proposition.language };
}

function canonicalQuote(quote: Quote): Quote {
  return {
    text: quote.text,
    language: quote.language,
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
  if ('min' in value) return { min: value.min, max: value.max };
  if ('date' in value) return { date: value.date, precision: value.precision };
  return value;
}
