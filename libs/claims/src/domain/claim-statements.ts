/**
 * The claim decider's rules for statements: report (with its basis), correct, retract. Each
 * checks the command against the claim as folded (claim.state.ts) and returns one event.
 */
import type { CorrectStatement, ReportStatement, RetractStatement } from './claim.commands';
import type {
  StatementChanges,
  StatementCorrected,
  StatementFields,
  StatementReported,
  StatementRetracted,
} from './claim.events';
import type { OpenedClaimState, StatementState } from './claim.state';
import { LIMITS, RETRACTION_FAULTS, RETRACTION_REASONS, type StatementBasis } from './values';
import {
  applyPatch,
  at,
  fail,
  isSameJson,
  optionalText,
  requireData,
  requireId,
  requireKnownKeys,
  requireObject,
  requireOneOf,
  requireReason,
  withoutUndefined,
} from './value-rules';
import { requireStatementFields } from './statement-rules';

/**
 * A chain of relayed statements is a few links long (a wire quoting a president repeating a
 * king); the bound keeps every read that follows a chain (projection, export) to a few lookups.
 */
export const MAX_RELAY_CHAIN = 10;

const CORRECTABLE_KEYS: readonly (keyof StatementFields)[] = [
  'stance',
  'value',
  'quote',
  'statedAt',
  'asOf',
  'via',
  'attribution',
];
/** Optional statement fields, the only ones a correction may remove with `null`. */
const REMOVABLE_KEYS: readonly (keyof StatementFields)[] = ['value', 'via', 'asOf'];

export function reportStatement(command: ReportStatement, claim: OpenedClaimState): StatementReported {
  const data = requireData(command.data, [
    'claimId',
    'statementId',
    'sourceId',
    'basis',
    ...CORRECTABLE_KEYS,
  ]);
  const sourceId = requireId(data.sourceId, 'sourceId');
  if (!command.sourceRegistered) fail('SOURCE_NOT_FOUND', `source ${sourceId} is not registered`, 'sourceId');
  const statementId = requireId(data.statementId, 'statementId');
  if (claim.statements.has(statementId)) {
    fail('STATEMENT_ALREADY_EXISTS', `statement ${statementId} already exists`, 'statementId');
  }
  // JSON has no undefined: a null `value` or `via` in a report means the same as leaving it out.
  const fields = requireStatementFields(
    { ...data, value: data.value ?? undefined, via: data.via ?? undefined, asOf: data.asOf ?? undefined },
    claim.valueKind,
    '',
    claim.varies,
  );
  requireNotAfterReceipt(fields, command.receivedAt);
  const basis =
    data.basis === undefined || data.basis === null
      ? undefined
      : requireBasis(data.basis, sourceId, command, claim);
  return {
    type: 'StatementReported',
    data: { claimId: claim.claimId, statementId, sourceId, ...(basis !== undefined && { basis }), ...fields },
  };
}

/**
 * DOMAIN.md rule 3: a relay names the source it relays, or a statement of this claim (which may
 * itself be a relay: chains lead to their origin). A source does not relay itself. A relay of a
 * statement already retracted is recorded as said, and counts for nothing (decision 0019).
 */
function requireBasis(
  value: unknown,
  sourceId: string,
  command: ReportStatement,
  claim: OpenedClaimState,
): StatementBasis {
  const basis = requireObject(value, 'basis');
  requireKnownKeys(basis, ['sourceId', 'statementId'], 'basis');
  if ((basis.sourceId === undefined) === (basis.statementId === undefined)) {
    fail('INVALID_FIELD', 'a basis names either the source or the statement relayed', 'basis');
  }
  if (basis.sourceId !== undefined) {
    const relayed = requireId(basis.sourceId, 'basis.sourceId');
    if (relayed === sourceId) fail('INVALID_FIELD', 'a source does not relay itself', 'basis.sourceId');
    if (command.basisSourceRegistered !== true) {
      fail('SOURCE_NOT_FOUND', `source ${relayed} is not registered`, 'basis.sourceId');
    }
    return { sourceId: relayed };
  }
  const relayedId = requireId(basis.statementId, 'basis.statementId');
  const relayed = claim.statements.get(relayedId);
  if (!relayed)
    fail('STATEMENT_NOT_FOUND', `statement ${relayedId} is not in this claim`, 'basis.statementId');
  if (relayed.sourceId === sourceId) {
    fail('INVALID_FIELD', 'a source does not relay its own statement', 'basis.statementId');
  }
  if (relayChainLength(claim, relayed) > MAX_RELAY_CHAIN) {
    fail(
      'INVALID_FIELD',
      `a chain of relays is at most ${MAX_RELAY_CHAIN} statements long`,
      'basis.statementId',
    );
  }
  return { statementId: relayedId };
}

/** How many statements a relay of `statement` would lead through (1 when it relays no one). */
function relayChainLength(claim: OpenedClaimState, statement: StatementState): number {
  let length = 1;
  let next = statement.basis;
  while (next !== undefined && 'statementId' in next && length <= MAX_RELAY_CHAIN) {
    const relayed = claim.statements.get(next.statementId);
    if (relayed === undefined) break;
    length += 1;
    next = relayed.basis;
  }
  return length;
}

/** A correction fixes our transcription; the statement as corrected must pass every report rule. */
export function correctStatement(command: CorrectStatement, claim: OpenedClaimState): StatementCorrected {
  requireData(command.data, ['claimId', 'statementId', 'changes', 'reason']);
  const statement = requireLiveStatement(claim, command.data.statementId);
  const reason = requireReason(command.data.reason);
  const changes = requireStatementChanges(command.data.changes);
  const correctedFields = requireStatementFields(
    applyPatch(statement.fields, changes),
    claim.valueKind,
    'changes',
    claim.varies,
  );
  requireNotAfterReceipt(correctedFields, command.receivedAt, 'changes');
  const effective = CORRECTABLE_KEYS.some(
    (key) => changes[key] !== undefined && !isSameJson(changes[key] ?? undefined, statement.fields[key]),
  );
  if (!effective) fail('NOTHING_CHANGED', 'the correction changes nothing', 'changes');
  return {
    type: 'StatementCorrected',
    data: { claimId: claim.claimId, statementId: statement.statementId, changes, reason },
  };
}

/**
 * Nothing is said, or published, after it reaches us: a stated or reported time later than the
 * command's receipt is a typo (2071 for 2017). An hour of slack absorbs clocks that disagree.
 */
const CLOCK_SLACK_MS = 60 * 60 * 1000;
function requireNotAfterReceipt(fields: StatementFields, receivedAt: string, prefix = ''): void {
  const limit = Date.parse(receivedAt) + CLOCK_SLACK_MS;
  if (Date.parse(fields.statedAt.at) > limit) {
    fail(
      'TIME_IN_FUTURE',
      `statedAt.at ${fields.statedAt.at} is after the statement reached us`,
      at(prefix, 'statedAt.at'),
    );
  }
  if (fields.via?.reportedAt !== undefined && Date.parse(fields.via.reportedAt) > limit) {
    fail(
      'TIME_IN_FUTURE',
      `via.reportedAt ${fields.via.reportedAt} is after the statement reached us`,
      at(prefix, 'via.reportedAt'),
    );
  }
}

/** Only known keys; `null` only where a field is optional (a statement always has a stance). */
function requireStatementChanges(value: unknown): StatementChanges {
  const changes = requireObject(value, 'changes');
  requireKnownKeys(changes, CORRECTABLE_KEYS, 'changes');
  for (const key of CORRECTABLE_KEYS) {
    if (changes[key] === null && !REMOVABLE_KEYS.includes(key)) {
      fail('INVALID_FIELD', `${key} cannot be removed`, at('changes', key));
    }
  }
  return withoutUndefined(changes);
}

export function retractStatement(command: RetractStatement, claim: OpenedClaimState): StatementRetracted {
  requireData(command.data, ['claimId', 'statementId', 'reason', 'faultOf', 'note']);
  const statement = requireLiveStatement(claim, command.data.statementId);
  const reason = requireOneOf(command.data.reason, RETRACTION_REASONS, 'reason');
  const faultOf =
    command.data.faultOf === undefined
      ? undefined
      : requireOneOf(command.data.faultOf, RETRACTION_FAULTS, 'faultOf');
  const note = optionalText(command.data.note, 'note', LIMITS.reasonChars);
  return {
    type: 'StatementRetracted',
    data: withoutUndefined({
      claimId: claim.claimId,
      statementId: statement.statementId,
      reason,
      faultOf,
      note,
    }),
  };
}

/** Retraction is final: a retracted statement can be neither corrected nor retracted again. */
function requireLiveStatement(claim: OpenedClaimState, statementId: string): StatementState {
  const statement = claim.statements.get(statementId);
  if (!statement) {
    fail('STATEMENT_NOT_FOUND', `statement ${String(statementId)} is not in this claim`, 'statementId');
  }
  if (statement.retracted)
    fail('STATEMENT_RETRACTED', `statement ${statementId} was retracted`, 'statementId');
  return statement;
}
