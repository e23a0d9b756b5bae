import { Command } from '@nestjs/cqrs';
import type { StatementFields } from '../../domain/claim.events';
import type { StatementBasis } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export type ReportStatementInput = StatementFields & {
  statementId?: string;
  sourceId: string;
  basis?: StatementBasis;
};

export class ReportStatementCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly input: ReportStatementInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
