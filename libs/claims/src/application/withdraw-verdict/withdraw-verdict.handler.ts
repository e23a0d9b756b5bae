import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { WithdrawVerdictCommand } from './withdraw-verdict.command';

@CommandHandler(WithdrawVerdictCommand)
export class WithdrawVerdictHandler implements ICommandHandler<WithdrawVerdictCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ claimId, verdictId, input, context }: WithdrawVerdictCommand): Promise<WriteResult> {
    const data = { claimId, verdictId, ...input };
    return this.claims.decide({ type: 'WithdrawVerdict', data }, context, verdictId);
  }
}
