import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { RetractStatementCommand } from './retract-statement.command';

@CommandHandler(RetractStatementCommand)
export class RetractStatementHandler implements ICommandHandler<RetractStatementCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ claimId, statementId, input, context }: RetractStatementCommand): Promise<WriteResult> {
    const data = { claimId, statementId, ...input };
    return this.claims.decide({ type: 'RetractStatement', data }, context, statementId);
  }
}
