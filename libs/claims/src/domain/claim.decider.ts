/**
 * The claim decider: one claim's stream is one consistency boundary, holding its statements,
 * their corrections and retractions, and the newsroom's verdicts. Pure: the handler says whether
 * a statement's source is registered; ids and times come in the commands.
 */
import type {
  CorrectStatement,
  IssueVerdict,
  OpenClaim,
  ReportStatement,
  RetractStatement,
  RewordClaim,
  WithdrawVerdict,
  ClaimCommand,
} from './claim.commands';
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
} from './claim.events';
import {
  LIMITS,
  RETRACTION_FAULTS,
  RETRACTION_REASONS,
  VERDICT_RATINGS,
  type Proposition,
  type StatementBasis,
  type ValueKind,
} from './values';
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
  requireProposition,
  requireBoolean,
  requireReason,
  requireText,
  withoutUndefined,
} from './value-rules';
import { checkUnit, requireStatementFields, requireValueKind } from './statement-rules';
import { absorbClaim, mergeClaim, requireNotMerged } from './claim-merge';

export interface StatementState {
  readonly statementId: string;
  readonly sourceId: string;
  /** What it relays, if anything: a chain of relays has a bounded length. */
  readonly basis?: StatementBasis;
  /** Current fields: as reported, with every correction applied in place. */
  readonly fields: StatementFields;
  readonly retracted: boolean;
}

/**
 * A chain of relayed statements is a few links long (a wire quoting a president repeating a
 * king); the bound keeps every read that follows a chain (projection, export) to a few lookups.
 */
export const MAX_RELAY_CHAIN = 10;

export interface VerdictState {
  readonly verdictId: string;
  readonly withdrawn: boolean;
}

export interface OpenedClaimState {
  readonly opened: true;
  readonly claimId: string;
  readonly storyId: string;
  readonly proposition: Proposition;
  readonly valueKind: ValueKind;
  readonly unit?: string;
  readonly varies: boolean;
  /** Maps, not records: an id such as `constructor` must not find something on a prototype. */
  readonly statements: ReadonlyMap<string, StatementState>;
  readonly verdicts: ReadonlyMap<string, VerdictState>;
  /** The verdict issued and not withdrawn, if any; there is at most one. */
  readonly activeVerdictId: string | null;
  /** The claim this one was merged into: from then on its stream is closed (decision 0020). */
  readonly mergedInto: string | null;
  /** Claims merged into this one, whose statements it now holds. */
  readonly merged: readonly string[];
}

export type ClaimState = { readonly opened: false } | OpenedClaimState;

/** A function, so no caller can share (or mutate) one initial state. */
const initialState = (): ClaimState => ({ opened: false });

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

function decide(command: ClaimCommand, state: ClaimState): ClaimEvent[] {
  switch (command.type) {
    case 'OpenClaim':
      return [openClaim(command, state)];
    case 'RewordClaim':
      return [rewordClaim(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'ReportStatement':
      return [reportStatement(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'CorrectStatement':
      return [correctStatement(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'RetractStatement':
      return [retractStatement(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'IssueVerdict':
      return [issueVerdict(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'WithdrawVerdict':
      return [withdrawVerdict(command, requireNotMerged(requireOpened(state, command.data)))];
    case 'MergeClaim':
      return [mergeClaim(command, requireOpened(state, command.data))];
    case 'AbsorbClaim':
      return [absorbClaim(command, requireOpened(state, command.data))];
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** Every command but OpenClaim needs this claim opened, under the id the command names. */
function requireOpened(state: ClaimState, data: { claimId: string }): OpenedClaimState {
  if (!state.opened || state.claimId !== data.claimId) {
    fail('CLAIM_NOT_FOUND', `claim ${String(data.claimId)} does not exist`, 'claimId');
  }
  return state;
}

function openClaim(command: OpenClaim, state: ClaimState): ClaimOpened {
  const data = requireData(command.data, [
    'claimId',
    'storyId',
    'proposition',
    'valueKind',
    'unit',
    'varies',
  ]);
  const claimId = requireId(data.claimId, 'claimId');
  if (state.opened) fail('CLAIM_ALREADY_EXISTS', `claim ${claimId} already exists`, 'claimId');
  const valueKind = requireValueKind(data.valueKind);
  // Only `true` is recorded: a claim opened before varying claims existed reads as not varying.
  const varies = data.varies === undefined ? false : requireBoolean(data.varies, 'varies');
  return {
    type: 'ClaimOpened',
    data: withoutUndefined({
      claimId,
      storyId: requireId(data.storyId, 'storyId'),
      proposition: requireProposition(data.proposition),
      valueKind,
      unit: checkUnit(valueKind, data.unit),
      varies: varies ? (true as const) : undefined,
    }),
  };
}

function rewordClaim(command: RewordClaim, claim: OpenedClaimState): ClaimReworded {
  requireData(command.data, ['claimId', 'proposition', 'reason']);
  const proposition = requireProposition(command.data.proposition);
  const reason = requireReason(command.data.reason);
  if (isSameJson(proposition, claim.proposition)) {
    fail('NOTHING_CHANGED', 'the proposition is worded as it already is', 'proposition');
  }
  return { type: 'ClaimReworded', data: { claimId: claim.claimId, proposition, reason } };
}

function reportStatement(command: ReportStatement, claim: OpenedClaimState): StatementReported {
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
function correctStatement(command: CorrectStatement, claim: OpenedClaimState): StatementCorrected {
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

function retractStatement(command: RetractStatement, claim: OpenedClaimState): StatementRetracted {
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

/**
 * One active verdict at a time: replacing one means withdrawing it first, with a reason, so the
 * audit trail says why the newsroom changed its mind.
 */
function issueVerdict(command: IssueVerdict, claim: OpenedClaimState): VerdictIssued {
  requireData(command.data, ['claimId', 'verdictId', 'rating', 'rationale', 'evidence']);
  const verdictId = requireId(command.data.verdictId, 'verdictId');
  if (claim.verdicts.has(verdictId))
    fail('VERDICT_ALREADY_EXISTS', `verdict ${verdictId} already exists`, 'verdictId');
  if (claim.activeVerdictId !== null) {
    fail(
      'VERDICT_ALREADY_ACTIVE',
      `verdict ${claim.activeVerdictId} is active; withdraw it first`,
      'verdictId',
    );
  }
  const rating = requireOneOf(command.data.rating, VERDICT_RATINGS, 'rating');
  const evidence = requireEvidence(claim, command.data.evidence);
  const rationale = requireText(command.data.rationale, 'rationale', LIMITS.rationaleChars);
  return { type: 'VerdictIssued', data: { claimId: claim.claimId, verdictId, rating, rationale, evidence } };
}

/** A verdict rests on this claim's statements; a retracted one may be cited (it may be why). */
function requireEvidence(claim: OpenedClaimState, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail('EVIDENCE_REQUIRED', 'a verdict must cite at least one statement', 'evidence');
  }
  if (value.length > LIMITS.evidenceItems) {
    fail('INVALID_FIELD', `at most ${LIMITS.evidenceItems} statements may be cited`, 'evidence');
  }
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    const statementId = requireId(item, at('evidence', i));
    if (seen.has(statementId))
      fail('INVALID_FIELD', `statement ${statementId} is cited twice`, at('evidence', i));
    if (!claim.statements.has(statementId)) {
      fail('EVIDENCE_NOT_IN_CLAIM', `statement ${statementId} is not in this claim`, at('evidence', i));
    }
    seen.add(statementId);
    return statementId;
  });
}

function withdrawVerdict(command: WithdrawVerdict, claim: OpenedClaimState): VerdictWithdrawn {
  requireData(command.data, ['claimId', 'verdictId', 'reason']);
  const verdict = claim.verdicts.get(command.data.verdictId);
  if (!verdict)
    fail('VERDICT_NOT_FOUND', `verdict ${String(command.data.verdictId)} does not exist`, 'verdictId');
  if (verdict.withdrawn) {
    fail('VERDICT_ALREADY_WITHDRAWN', `verdict ${verdict.verdictId} was already withdrawn`, 'verdictId');
  }
  const reason = requireReason(command.data.reason);
  return { type: 'VerdictWithdrawn', data: { claimId: claim.claimId, verdictId: verdict.verdictId, reason } };
}

/**
 * Total: an event that cannot apply (only a corrupt stream would hold one) leaves the state as it
 * was, since the log, not the decider, is the source of truth.
 */
function evolve(state: ClaimState, event: ClaimEvent): ClaimState {
  if (event.type === 'ClaimOpened') return opened(event);
  if (!state.opened) return state;
  switch (event.type) {
    case 'ClaimReworded':
      return { ...state, proposition: event.data.proposition };
    case 'StatementReported': {
      const { claimId: _claimId, statementId, sourceId, basis, ...fields } = event.data;
      return withStatement(state, {
        statementId,
        sourceId,
        ...(basis !== undefined && { basis }),
        fields,
        retracted: false,
      });
    }
    case 'StatementCorrected':
      return updateStatement(state, event.data.statementId, (s) => ({
        ...s,
        fields: applyPatch(s.fields, event.data.changes),
      }));
    case 'StatementRetracted':
      return updateStatement(state, event.data.statementId, (s) => ({ ...s, retracted: true }));
    case 'VerdictIssued': {
      const verdicts = new Map(state.verdicts).set(event.data.verdictId, {
        verdictId: event.data.verdictId,
        withdrawn: false,
      });
      return { ...state, verdicts, activeVerdictId: event.data.verdictId };
    }
    case 'VerdictWithdrawn':
      return withdrawn(state, event.data.verdictId);
    case 'ClaimsMerged':
      return { ...state, mergedInto: event.data.intoClaimId };
    case 'ClaimAbsorbed': {
      const statements = new Map(state.statements);
      for (const { statementId, sourceId, basis, current, retraction } of event.data.statements) {
        statements.set(statementId, {
          statementId,
          sourceId,
          ...(basis !== undefined && { basis }),
          fields: current,
          retracted: retraction !== undefined,
        });
      }
      return { ...state, statements, merged: [...state.merged, event.data.mergedClaimId] };
    }
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function opened(event: ClaimOpened): OpenedClaimState {
  const { claimId, storyId, proposition, valueKind, unit, varies } = event.data;
  const state: OpenedClaimState = {
    opened: true,
    claimId,
    storyId,
    proposition,
    valueKind,
    varies: varies === true,
    statements: new Map<string, StatementState>(),
    verdicts: new Map<string, VerdictState>(),
    activeVerdictId: null,
    mergedInto: null,
    merged: [],
  };
  return unit === undefined ? state : { ...state, unit };
}

function withStatement(state: OpenedClaimState, statement: StatementState): OpenedClaimState {
  return { ...state, statements: new Map(state.statements).set(statement.statementId, statement) };
}

function updateStatement(
  state: OpenedClaimState,
  statementId: string,
  update: (statement: StatementState) => StatementState,
): OpenedClaimState {
  const statement = state.statements.get(statementId);
  return statement ? withStatement(state, update(statement)) : state;
}

function withdrawn(state: OpenedClaimState, verdictId: string): OpenedClaimState {
  const verdict = state.verdicts.get(verdictId);
  if (!verdict) return state;
  return {
    ...state,
    verdicts: new Map(state.verdicts).set(verdictId, { ...verdict, withdrawn: true }),
    activeVerdictId: state.activeVerdictId === verdictId ? null : state.activeVerdictId,
  };
}

export const claimDecider = { initialState, decide, evolve };
