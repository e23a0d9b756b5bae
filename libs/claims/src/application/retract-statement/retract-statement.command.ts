import { Command } from '@nestjs/cqrs';
import type { RetractionFault, RetractionReason } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class RetractStatementCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly statementId: string,
    readonly input: { reason: RetractionReason; faultOf?: RetractionFault; note?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
