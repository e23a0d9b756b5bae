import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { CorrectStatementCommand } from './correct-statement.command';

@CommandHandler(CorrectStatementCommand)
export class CorrectStatementHandler implements ICommandHandler<CorrectStatementCommand> {
  constructor(
    private readonly claims: ClaimDecisions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ claimId, statementId, input, context }: CorrectStatementCommand): Promise<WriteResult> {
    const data = { claimId, statementId, ...input };
    const receivedAt = this.clock.now().toISOString();
    return this.claims.decide({ type: 'CorrectStatement', data, receivedAt }, context, statementId);
  }
}
