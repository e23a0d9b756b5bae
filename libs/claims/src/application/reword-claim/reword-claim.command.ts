import { Command } from '@nestjs/cqrs';
import type { Proposition } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class RewordClaimCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly input: { proposition: Proposition; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
