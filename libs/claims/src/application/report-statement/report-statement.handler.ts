import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import type { WriteResult } from '../shared/command-context';
import { ClaimDecisions } from '../shared/claim-decisions';
import { SourceFacts } from '../shared/source-facts';
import { ReportStatementCommand } from './report-statement.command';

@CommandHandler(ReportStatementCommand)
export class ReportStatementHandler implements ICommandHandler<ReportStatementCommand> {
  constructor(
    private readonly claims: ClaimDecisions,
    private readonly sources: SourceFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ claimId, input, context }: ReportStatementCommand): Promise<WriteResult> {
    const { statementId = randomUUID(), ...fields } = input;
    // Sources are never deleted, so a source found registered here stays registered.
    const sourceRegistered = await this.sources.isRegistered(fields.sourceId);
    const basisSourceId =
      fields.basis !== undefined && 'sourceId' in fields.basis ? fields.basis.sourceId : undefined;
    const basisSourceRegistered =
      typeof basisSourceId === 'string' ? await this.sources.isRegistered(basisSourceId) : undefined;
    return this.claims.decide(
      {
        type: 'ReportStatement',
        data: { ...fields, claimId, statementId },
        sourceRegistered,
        ...(basisSourceRegistered !== undefined && { basisSourceRegistered }),
        receivedAt: this.clock.now().toISOString(),
      },
      context,
      statementId,
    );
  }
}
