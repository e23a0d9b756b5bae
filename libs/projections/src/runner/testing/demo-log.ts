import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import {
  AmendSourceCommand,
  AmendSourceHandler,
  ClaimDecisions,
  CorrectStatementHandler,
  DecisionRunner,
  EventCodec,
  IssueVerdictHandler,
  OpenClaimHandler,
  RAQQA_DEMO,
  RegisterSourceHandler,
  ReportStatementCommand,
  ReportStatementHandler,
  RetractStatementHandler,
  SourceFacts,
  SRC,
} from '@app/claims';
import { CLOCK, type Database, EVENT_STORE, SqliteEventStore } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import { loadDemo } from '../../../../../apps/newsroom-api/src/demo/demo-loader';

/**
 * Tests only: the Raqqa demo, then source amendments, appended through the real command handlers
 * to a SQLite log in `db`. Amendments re-derive every claim a source (or its members) speaks in:
 * a spokesman changes sides and back, organizations are renamed; the order makes each later
 * amendment depend on members and statements added after an earlier one looked them up.
 */
export async function demoLog(
  db: Database,
  options: { busyClaimStatements?: number } = {},
): Promise<SqliteEventStore> {
  const clock = new TestClock(new Date('2026-01-01T00:00:00Z'));
  const store = new SqliteEventStore(db, clock);
  store.migrate();
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [
      { provide: EVENT_STORE, useValue: store },
      { provide: CLOCK, useValue: clock },
      EventCodec,
      DecisionRunner,
      ClaimDecisions,
      SourceFacts,
      RegisterSourceHandler,
      AmendSourceHandler,
      OpenClaimHandler,
      ReportStatementHandler,
      CorrectStatementHandler,
      RetractStatementHandler,
      IssueVerdictHandler,
    ],
  }).compile();
  await moduleRef.init();
  // Advance the clock between commands so recorded times differ, as they would in life.
  store.onAppended(() => clock.advance(1000));
  const commandBus = moduleRef.get(CommandBus);
  await loadDemo(commandBus, RAQQA_DEMO);
  const context = { principal: 'test', correlationId: 'amendments' };
  const amend = (sourceId: string, changes: object) =>
    commandBus.execute(new AmendSourceCommand(sourceId, { changes, reason: 'test' }, context));
  await amend(SRC.sdf, { name: 'SDF' });
  await amend(SRC.omarAlloush, { affiliationId: SRC.sdf });
  const report = RAQQA_DEMO.find((step) => step.op === 'reportStatement');
  if (report?.op !== 'reportStatement') throw new Error('the demo reports no statement');
  const { statementId: _omitted, ...body } = report.body;
  await commandBus.execute(
    new ReportStatementCommand(report.claimId, { ...body, sourceId: SRC.mustafaBali }, context),
  );
  await amend(SRC.sdf, { name: 'Syrian Democratic Forces' });
  await amend(SRC.omarAlloush, { affiliationId: SRC.raqqaCivilCouncil });
  await amend(SRC.raqqaCivilCouncil, { name: 'Raqqa Civil Council (renamed)' });
  // A busy claim: enough statements for snapshots of its state (every SNAPSHOT_EVERY events).
  const speakers = [SRC.sohr, SRC.mustafaBali, SRC.coalition, SRC.omarAlloush];
  for (let i = 0; i < (options.busyClaimStatements ?? 0); i += 1) {
    const sourceId = speakers[i % speakers.length]!;
    await commandBus.execute(new ReportStatementCommand(report.claimId, { ...body, sourceId }, context));
  }
  await moduleRef.close();
  return store;
}
