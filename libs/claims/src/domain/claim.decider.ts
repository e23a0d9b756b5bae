/**
 * The claim decider: one claim's stream is one consistency boundary, holding its statements,
 * their corrections and retractions, and the newsroom's verdicts. Pure: the handler says whether
 * a statement's source is registered; ids and times come in the commands. The state and its fold
 * are in claim.state.ts, the statement rules in claim-statements.ts, merges in claim-merge.ts.
 */
import type { IssueVerdict, OpenClaim, RewordClaim, WithdrawVerdict, ClaimCommand } from './claim.commands';
import type { ClaimEvent, ClaimOpened, ClaimReworded, VerdictIssued, VerdictWithdrawn } from './claim.events';
import { LIMITS, VERDICT_RATINGS } from './values';
import {
  at,
  fail,
  isSameJson,
  requireData,
  requireId,
  requireOneOf,
  requireProposition,
  requireBoolean,
  requireReason,
  requireText,
  withoutUndefined,
} from './value-rules';
import { checkUnit, requireValueKind } from './statement-rules';
import { absorbClaim, mergeClaim, requireNotMerged } from './claim-merge';
import { type ClaimState, evolve, initialState, type OpenedClaimState } from './claim.state';
import { correctStatement, reportStatement, retractStatement } from './claim-statements';

export type { ClaimState, OpenedClaimState, StatementState, VerdictState } from './claim.state';
export { MAX_RELAY_CHAIN } from './claim-statements';

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

export const claimDecider = { initialState, decide, evolve };
