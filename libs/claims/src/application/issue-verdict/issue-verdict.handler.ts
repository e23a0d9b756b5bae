import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { IssueVerdictCommand } from './issue-verdict.command';

@CommandHandler(IssueVerdictCommand)
export class IssueVerdictHandler implements ICommandHandler<IssueVerdictCommand> {
  constructor(private readonly claims: ClaimDecisions) {}

  execute({ claimId, input, context }: IssueVerdictCommand): Promise<WriteResult> {
    const { verdictId = randomUUID(), ...fields } = input;
    return this.claims.decide(
      { type: 'IssueVerdict', data: { ...fields, claimId, verdictId } },
      context,
      verdictId,
    );
  }
}
