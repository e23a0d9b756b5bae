import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  AmendSourceHandler,
  ClaimDecisions,
  CorrectStatementHandler,
  DecisionRunner,
  IssueVerdictHandler,
  MergeClaimHandler,
  OpenClaimHandler,
  RegisterSourceHandler,
  ReportStatementHandler,
  RetractStatementHandler,
  RewordClaimHandler,
  ShredSourceIdentityHandler,
  SourceFacts,
  SourceIdentityProtection,
  WithdrawVerdictHandler,
} from '@app/claims';
import { ApiKeyAuthenticator, ApiKeyGuard, APP_CONFIG, type AppConfig } from '@app/platform';
import {
  ClaimEventCache,
  ClaimTimeline,
  GetClaimHandler,
  GetClaimReviewHandler,
  GetCurrentClaimJsonHandler,
  GetClaimTimelineHandler,
  GetSourceHandler,
  GetSourceStatementsHandler,
  HistoricalClaims,
  ListClaimStatementsHandler,
  ListClaimsHandler,
  ListSourcesHandler,
  ReadEventsHandler,
  SourceHistory,
} from '@app/projections';
import { BrokerService } from './broker/broker.service';
import { ClaimsReadController } from './claims/claims-read.controller';
import { ClaimsWriteController } from './claims/claims-write.controller';
import { CommandDispatcher } from './commands/command-dispatcher';
import { DemoLoader } from './demo/demo-loader';
import { EventsController } from './events/events.controller';
import { feedControllers, feedProviders } from './feeds/feeds.providers';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { IdempotencyRecovery } from './http/idempotency-recovery';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyService } from './http/idempotency.service';
import { WriteEndpoint } from './http/write-endpoint';
import { MetricsService } from './ops/metrics.service';
import { OpsController } from './ops/ops.controller';
import { ProjectionDaemon } from './persistence/projection-daemon';
import { PersistenceModule } from './persistence/persistence.module';
import { IdentityReveal } from './protection/identity-reveal';
import { ProtectionController } from './protection/protection.controller';
import { ProtectionModule } from './protection/protection.module';
import { SourcesController } from './sources/sources.controller';
import { UiController } from './ui/ui.controller';

const commandHandlers = [
  RegisterSourceHandler,
  AmendSourceHandler,
  ShredSourceIdentityHandler,
  OpenClaimHandler,
  RewordClaimHandler,
  ReportStatementHandler,
  CorrectStatementHandler,
  RetractStatementHandler,
  IssueVerdictHandler,
  WithdrawVerdictHandler,
  MergeClaimHandler,
];
const queryHandlers = [
  GetClaimHandler,
  GetClaimReviewHandler,
  GetCurrentClaimJsonHandler,
  GetClaimTimelineHandler,
  ListClaimStatementsHandler,
  ListClaimsHandler,
  ListSourcesHandler,
  GetSourceHandler,
  GetSourceStatementsHandler,
  ReadEventsHandler,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), PersistenceModule, ProtectionModule],
      controllers: [
        SourcesController,
        ClaimsWriteController,
        ClaimsReadController,
        EventsController,
        OpsController,
        UiController,
        ProtectionController,
        ...feedControllers,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        DecisionRunner,
        ClaimDecisions,
        SourceFacts,
        SourceIdentityProtection,
        IdentityReveal,
        // One cache of decoded claim events and one of source versions for cut reads and
        // timelines (0031, 0036).
        { provide: ClaimEventCache, useValue: new ClaimEventCache() },
        { provide: SourceHistory, useValue: new SourceHistory() },
        HistoricalClaims,
        ClaimTimeline,
        WriteEndpoint,
        ApiKeyAuthenticator,
        CommandDispatcher,
        BrokerService,
        IdempotencyRecovery,
        IdempotencyService,
        MetricsService,
        ProjectionDaemon,
        DemoLoader,
        ...feedProviders,
        ...commandHandlers,
        ...queryHandlers,
      ],
      exports: [APP_CONFIG],
    };
  }
}
