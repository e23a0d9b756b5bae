import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sourceDecider } from '../../domain/source.decider';
import { sourceStreamId } from '../../domain/source.events';
import type { WriteResult } from '../shared/command-context';
import { DecisionRunner } from '../shared/decision-runner';
import { SourceFacts } from '../shared/source-facts';
import { SourceIdentityProtection } from '../shared/source-identity';
import { AmendSourceCommand } from './amend-source.command';

@CommandHandler(AmendSourceCommand)
export class AmendSourceHandler implements ICommandHandler<AmendSourceCommand> {
  constructor(
    private readonly runner: DecisionRunner,
    private readonly sources: SourceFacts,
    private readonly identity: SourceIdentityProtection,
  ) {}

  async execute({ sourceId, input, context }: AmendSourceCommand): Promise<WriteResult> {
    const affiliation = await this.sources.affiliation(input.changes.affiliationId);
    const result = await this.runner.run(
      sourceStreamId(sourceId),
      sourceDecider,
      { type: 'AmendSource', data: { sourceId, ...input }, affiliation },
      context,
      this.identity.seal,
    );
    return { id: sourceId, ...result };
  }
}
