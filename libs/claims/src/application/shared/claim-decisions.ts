import { Injectable } from '@nestjs/common';
import type { ClaimCommand } from '../../domain/claim.commands';
import { claimDecider } from '../../domain/claim.decider';
import { claimStreamId } from '../../domain/claim.events';
import type { CommandContext, WriteResult } from './command-context';
import { DecisionRunner } from './decision-runner';

/** A claim is one consistency boundary: every claim command is decided on its stream alone. */
@Injectable()
export class ClaimDecisions {
  constructor(private readonly runner: DecisionRunner) {}

  /** `id` is what the write answers with: the claim, statement or verdict it created or changed. */
  async decide(command: ClaimCommand, context: CommandContext, id: string): Promise<WriteResult> {
    const result = await this.runner.run(claimStreamId(command.data.claimId), claimDecider, command, context);
    return { id, ...result };
  }
}
