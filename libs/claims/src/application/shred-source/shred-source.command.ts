import { Command } from '@nestjs/cqrs';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class ShredSourceIdentityCommand extends Command<WriteResult> {
  constructor(
    readonly sourceId: string,
    readonly input: { reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
