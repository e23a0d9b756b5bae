import { Command } from '@nestjs/cqrs';
import type { SourceKind } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export interface RegisterSourceInput {
  sourceId?: string;
  name: string;
  nameLatin?: string;
  kind: SourceKind;
  role?: string;
  affiliationId?: string;
  protected?: boolean;
}

export class RegisterSourceCommand extends Command<WriteResult> {
  constructor(
    readonly input: RegisterSourceInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
