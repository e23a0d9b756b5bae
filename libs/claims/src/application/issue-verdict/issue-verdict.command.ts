import { Command } from '@nestjs/cqrs';
import type { VerdictRating } from '../../domain/values';
import type { CommandContext, WriteResult } from '../shared/command-context';

export interface IssueVerdictInput {
  verdictId?: string;
  rating: VerdictRating;
  rationale: string;
  evidence: string[];
}

export class IssueVerdictCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly input: IssueVerdictInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
