import { Command } from '@nestjs/cqrs';
import type { Proposition, ValueKind } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export interface OpenClaimInput {
  claimId?: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
  varies?: boolean;
}

export class OpenClaimCommand extends Command<WriteResult> {
  constructor(
    readonly input: OpenClaimInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
