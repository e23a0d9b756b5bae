import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { CorrectStatementCommand } from './correct-statement.command';

@CommandHandler(CorrectStatementCommand)
export class CorrectStatementHandler implements ICommandHandler<CorrectStatementCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ claimId, statementId, input, context }: CorrectStatementCommand): Promise<WriteResult> {
    const data = { claimId, statementId, ...input };
    return this.claims.decide({ type: 'CorrectStatement', data }, context, statementId);
  }
}
