import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Command, CommandBus } from '@nestjs/cqrs';
import {
  type CommandContext,
  CorrectStatementCommand,
  type DemoStep,
  IssueVerdictCommand,
  OpenClaimCommand,
  RAQQA_DEMO,
  RegisterSourceCommand,
  ReportStatementCommand,
  RetractStatementCommand,
  type WriteResult,
} from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';

/**
 * NEWSROOM_DEMO=on loads the Raqqa story into an EMPTY store, through the same commands the API
 * sends, so the demo data obeys every rule real data does. A store with any event is left alone.
 */
@Injectable()
export class DemoLoader {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    private readonly commandBus: CommandBus,
  ) {}

  /** Called by bootstrap once the app is initialised (the CQRS handlers register at bootstrap). */
  async loadIfEmpty(): Promise<void> {
    if (!this.config.demo) return;
    if ((await this.store.headPosition()) > 0n) {
      this.logger.log('the store is not empty: the demo is not loaded');
      return;
    }
    const loaded = await loadDemo(this.commandBus, RAQQA_DEMO);
    await this.projections.waitFor(await this.store.headPosition());
    this.logger.log(`loaded the Raqqa demo: ${loaded} commands`);
  }
}

export async function loadDemo(commandBus: CommandBus, steps: readonly DemoStep[]): Promise<number> {
  const context: CommandContext = { principal: 'demo-loader', correlationId: 'demo-raqqa-2017-10-15' };
  for (const step of steps) await commandBus.execute(toCommand(step, context));
  return steps.length;
}

function toCommand(step: DemoStep, context: CommandContext): Command<WriteResult> {
  switch (step.op) {
    case 'registerSource':
      return new RegisterSourceCommand(step.body, context);
    case 'openClaim':
      return new OpenClaimCommand(step.body, context);
    case 'reportStatement':
      return new ReportStatementCommand(step.claimId, step.body, context);
    case 'correctStatement':
      return new CorrectStatementCommand(step.claimId, step.statementId, step.body, context);
    case 'retractStatement':
      return new RetractStatementCommand(step.claimId, step.statementId, step.body, context);
    case 'issueVerdict':
      return new IssueVerdictCommand(step.claimId, step.body, context);
    default: {
      const _exhaustive: never = step;
      throw new Error(`unknown demo step ${JSON.stringify(_exhaustive)}`);
    }
  }
}
