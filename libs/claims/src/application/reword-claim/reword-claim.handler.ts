import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { RewordClaimCommand } from './reword-claim.command';

@CommandHandler(RewordClaimCommand)
export class RewordClaimHandler implements ICommandHandler<RewordClaimCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ claimId, input, context }: RewordClaimCommand): Promise<WriteResult> {
    return this.claims.decide({ type: 'RewordClaim', data: { claimId, ...input } }, context, claimId);
  }
}
