import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import {
  AmendSourceCommand,
  AmendSourceHandler,
  ClaimDecisions,
  CorrectStatementCommand,
  CorrectStatementHandler,
  DecisionRunner,
  EventCodec,
  IssueVerdictHandler,
  OpenClaimHandler,
  RAQQA_DEMO,
  RegisterSourceHandler,
  ReportStatementCommand,
  ReportStatementHandler,
  RetractStatementCommand,
  RetractStatementHandler,
  SourceFacts,
  SourceIdentityProtection,
  SRC,
} from '@app/claims';
import { SOURCE_KEYS, SourceKeys, SqliteSourceKeyStore } from '@app/protection';
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
  options: {
    busyClaimStatements?: number;
    /**
     * Also, on the busy claim: corrections (some moving a statement's stated time, so positions
     * change hands), retractions (positions fall back to a source's other live statements) and
     * affiliation changes in between (re-deriving the claim's view).
     */
    churn?: boolean;
  } = {},
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
      // The demo has no protected source: a key store without a master key is enough.
      { provide: SOURCE_KEYS, useValue: new SourceKeys(new SqliteSourceKeyStore(db), undefined) },
      SourceIdentityProtection,
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
  const reported: string[] = [];
  const retracted = new Set<string>();
  let lastCorrected: string | undefined;
  const retract = async (statementId: string) => {
    if (retracted.has(statementId)) return;
    retracted.add(statementId);
    await commandBus.execute(
      new RetractStatementCommand(report.claimId, statementId, { reason: 'source-withdrew' }, context),
    );
  };
  for (let i = 0; i < (options.busyClaimStatements ?? 0); i += 1) {
    const sourceId = speakers[i % speakers.length]!;
    const statementId = randomUUID();
    reported.push(statementId);
    await commandBus.execute(
      new ReportStatementCommand(report.claimId, { ...body, sourceId, statementId }, context),
    );
    if (options.churn !== true || i < 8) continue;
    if (i % 7 === 0 && !retracted.has(reported[i - 5]!)) {
      const at = new Date(Date.parse('2017-10-15T00:00:00Z') + i * 60_000).toISOString();
      await commandBus.execute(
        new CorrectStatementCommand(
          report.claimId,
          reported[i - 5]!,
          { changes: { statedAt: { ...body.statedAt, at } }, reason: 'test' },
          context,
        ),
      );
      lastCorrected = reported[i - 5]!;
    }
    // The latest corrected statement is its source's position (the latest stated time): retracting
    // it falls back to the source's other live statements.
    if (i % 13 === 0 && lastCorrected !== undefined) await retract(lastCorrected);
    if (i % 11 === 0) {
      await retract(reported[i - 4]!);
      // The newest statement retracted: its source's position falls back to an older one.
      await retract(statementId);
    }
    if (i % 37 === 0) {
      const organization = i % 2 === 1 ? SRC.sdf : SRC.raqqaCivilCouncil;
      await amend(SRC.omarAlloush, { affiliationId: organization });
      // The organization renamed: the claims its new member speaks in are re-derived.
      await amend(organization, { name: `Organization ${i}` });
    }
  }
  await moduleRef.close();
  return store;
}
