import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sourceDecider } from '../../domain/source.decider';
import { sourceStreamId } from '../../domain/source.events';
import type { WriteResult } from '../shared/command-context';
import { DecisionRunner } from '../shared/decision-runner';
import { SourceFacts } from '../shared/source-facts';
import { SourceIdentityProtection } from '../shared/source-identity';
import { RegisterSourceCommand } from './register-source.command';

@CommandHandler(RegisterSourceCommand)
export class RegisterSourceHandler implements ICommandHandler<RegisterSourceCommand> {
  constructor(
    private readonly runner: DecisionRunner,
    private readonly sources: SourceFacts,
    private readonly identity: SourceIdentityProtection,
  ) {}

  async execute({ input, context }: RegisterSourceCommand): Promise<WriteResult> {
    const { sourceId = randomUUID(), protected: isProtected = false, ...fields } = input;
    const affiliation = await this.sources.affiliation(fields.affiliationId);
    const result = await this.runner.run(
      sourceStreamId(sourceId),
      sourceDecider,
      { type: 'RegisterSource', data: { ...fields, sourceId, protected: isProtected }, affiliation },
      context,
      this.identity.seal,
    );
    return { id: sourceId, ...result };
  }
}
