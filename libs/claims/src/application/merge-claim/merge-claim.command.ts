import { Command } from '@nestjs/cqrs';
import type { CommandContext, WriteResult } from '../shared/command-context';

/** `POST /claims/{claimId}/merger`: `claimId` is the same proposition as `intoClaimId`. */
export class MergeClaimCommand extends Command<WriteResult> {
  constructor(
    readonly claimId: string,
    readonly input: { intoClaimId: string; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
