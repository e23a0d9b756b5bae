/**
 * Merging two claims found to be one proposition (DOMAIN.md `ClaimsMerged`, decision 0020): the
 * decisions on each of the two streams. Pure, like the rest of the decider: the handler loads the
 * surviving claim (MergeClaim) and the merged claim's closed statements (AbsorbClaim).
 */
import type { AbsorbClaim, MergeClaim } from './claim.commands';
import type { ClaimAbsorbed, ClaimsMerged } from './claim.events';
import type { OpenedClaimState } from './claim.state';
import { fail, requireData, requireId, requireReason } from './value-rules';

/** Every command but the merge's own is refused on a merged claim, naming where it went. */
export function requireNotMerged(claim: OpenedClaimState): OpenedClaimState {
  if (claim.mergedInto !== null) {
    fail(
      'CLAIM_MERGED',
      `claim ${claim.claimId} was merged into claim ${claim.mergedInto}: write to claim ${claim.mergedInto}`,
      'claimId',
    );
  }
  return claim;
}

/**
 * Same story, same kind of value, same unit, both varying or neither: otherwise the statements of
 * one would not fit the other (a quantity in km is not a quantity in miles), so they are not one
 * proposition as recorded.
 */
export function mergeClaim(command: MergeClaim, claim: OpenedClaimState): ClaimsMerged {
  const data = requireData(command.data, ['claimId', 'intoClaimId', 'reason']);
  const intoClaimId = requireId(data.intoClaimId, 'intoClaimId');
  const reason = requireReason(data.reason);
  if (claim.mergedInto !== null) {
    fail(
      'CLAIM_MERGED',
      `claim ${claim.claimId} was already merged into claim ${claim.mergedInto}`,
      'claimId',
    );
  }
  if (intoClaimId === claim.claimId)
    fail('MERGE_INTO_ITSELF', 'a claim cannot be merged into itself', 'intoClaimId');
  const into = command.into;
  if (into === undefined || into.claimId !== intoClaimId)
    fail('CLAIM_NOT_FOUND', `claim ${intoClaimId} does not exist`, 'intoClaimId');
  if (into.mergedInto !== null) {
    fail(
      'MERGE_TARGET_MERGED',
      `claim ${intoClaimId} was itself merged into claim ${into.mergedInto}: merge into that one`,
      'intoClaimId',
    );
  }
  if (into.storyId !== claim.storyId)
    fail('MERGE_INCOMPATIBLE', `claim ${intoClaimId} belongs to another story`, 'intoClaimId');
  if (into.valueKind !== claim.valueKind || into.unit !== claim.unit || into.varies !== claim.varies) {
    fail(
      'MERGE_INCOMPATIBLE',
      `claim ${intoClaimId} differs in value kind, unit or varying: its statements would not fit`,
      'intoClaimId',
    );
  }
  // Checked here, on the first step, and not only when absorbing: a refusal after ClaimsMerged
  // would leave this claim closed and its statements counted nowhere.
  const clash = into.statementIds.find((statementId) => claim.statements.has(statementId));
  if (clash !== undefined) {
    fail(
      'MERGE_STATEMENT_CLASH',
      `statement ${clash} is in both claims (statement ids are per claim): they cannot be merged`,
      'intoClaimId',
    );
  }
  return { type: 'ClaimsMerged', data: { claimId: claim.claimId, intoClaimId, reason } };
}

/** The surviving side: once per merged claim, and never over a statement id it already has. */
export function absorbClaim(command: AbsorbClaim, claim: OpenedClaimState): ClaimAbsorbed {
  const { mergedClaimId, reason, statements } = command.data;
  requireNotMerged(claim);
  if (mergedClaimId === claim.claimId)
    fail('MERGE_INTO_ITSELF', 'a claim cannot be merged into itself', 'intoClaimId');
  if (claim.merged.includes(mergedClaimId)) {
    fail('CLAIM_MERGED', `claim ${mergedClaimId} was already merged into claim ${claim.claimId}`, 'claimId');
  }
  const clash = statements.find((s) => claim.statements.has(s.statementId));
  if (clash !== undefined) {
    fail(
      'MERGE_STATEMENT_CLASH',
      `statement ${clash.statementId} is in both claims (statement ids are per claim): they cannot be merged`,
      'intoClaimId',
    );
  }
  return {
    type: 'ClaimAbsorbed',
    data: { claimId: claim.claimId, mergedClaimId, reason: requireReason(reason), statements },
  };
}
