import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { OpenClaimCommand } from './open-claim.command';

@CommandHandler(OpenClaimCommand)
export class OpenClaimHandler implements ICommandHandler<OpenClaimCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ input, context }: OpenClaimCommand): Promise<WriteResult> {
    const { claimId = randomUUID(), ...data } = input;
    return this.claims.decide({ type: 'OpenClaim', data: { ...data, claimId } }, context, claimId);
  }
}
