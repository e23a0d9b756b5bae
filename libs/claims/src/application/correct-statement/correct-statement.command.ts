import { Command } from '@nestjs/cqrs';
import type { StatementChanges } from '../../domain/claim.events';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class CorrectStatementCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly statementId: string,
    readonly input: { changes: StatementChanges; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
