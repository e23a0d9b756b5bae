import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sourceDecider } from '../../domain/source.decider';
import { sourceStreamId } from '../../domain/source.events';
import type { WriteResult } from '../shared/command-context';
import { DecisionRunner } from '../shared/decision-runner';
import { SourceIdentityProtection } from '../shared/source-identity';
import { ShredSourceIdentityCommand } from './shred-source.command';

/**
 * Decide (registered, protected, not yet shredded), destroy the key, then append
 * SourceIdentityShredded. The key goes first: once the event is visible, no replica can open the
 * identity. A failed append leaves the key gone and no event; the retried request (the decider
 * still allows it) deletes nothing more and appends the event.
 */
@CommandHandler(ShredSourceIdentityCommand)
export class ShredSourceIdentityHandler implements ICommandHandler<ShredSourceIdentityCommand> {
  constructor(
    private readonly runner: DecisionRunner,
    private readonly identity: SourceIdentityProtection,
  ) {}

  async execute({ sourceId, input, context }: ShredSourceIdentityCommand): Promise<WriteResult> {
    const result = await this.runner.run(
      sourceStreamId(sourceId),
      sourceDecider,
      {
        type: 'ShredSourceIdentity',
        data: { sourceId, reason: input.reason, shreddedBy: context.principal },
      },
      context,
      this.identity.destroyKey,
    );
    return { id: sourceId, ...result };
  }
}
