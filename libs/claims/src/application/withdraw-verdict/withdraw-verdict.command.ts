import { Command } from '@nestjs/cqrs';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class WithdrawVerdictCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly verdictId: string,
    readonly input: { reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
