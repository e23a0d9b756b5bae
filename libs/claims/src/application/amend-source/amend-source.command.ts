import { Command } from '@nestjs/cqrs';
import type { SourceChanges } from '../../domain/source.events';
import type { CommandContext, WriteResult } from '../shared/command-context';

export class AmendSourceCommand extends Command<WriteResult> {
  constructor(
    readonly sourceId: string,
    readonly input: { changes: SourceChanges; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
