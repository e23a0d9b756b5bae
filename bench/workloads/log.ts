/**
 * W2, W3, W4 on one generated log: the Raqqa demo (as the built API records it) repeated with fresh
 * ids to 1M events (100k with --quick; bench/auditor/expand-log.ts), plus one busy claim.
 * W2: the built API started on the bare log rebuilds every read model before it listens; the
 *     rebuild's time is its start time less that of an API on an empty file, and its peak RSS is
 *     the child's own. W3: `asOf` reads of the busy claim on that API. W4: the built auditor's
 *     `verify` as a child process, with its peak RSS.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { claimStreamId } from '@app/claims';
import {
  MAX_PAGE_SIZE,
  openSqliteDatabase,
  SqliteEventStore,
  type StoredEvent,
  systemClock,
} from '@app/event-store';
import { expandLog } from '../auditor/expand-log';
import type { BenchContext } from './context';
import { LIMIT } from './limits';
import { AUDITOR_MAIN, runNode, startApi } from '../support/processes';
import { since } from '../support/report';
import { asOfReads, type BusyClaim } from './asof-reads';

export async function measureLog(ctx: BenchContext): Promise<void> {
  const size = ctx.quick ? 100_000 : 1_000_000;
  const busyStatements = ctx.quick ? 500 : 2_000;
  const file = join(ctx.dir, 'log.db');

  const templates = await demoEvents(ctx);
  const start = performance.now();
  await writeLog(file, expandLog(templates, size));
  const busy = await addBusyClaim(file, templates, busyStatements);
  const total = size + busyStatements;
  console.log(
    `    (generated a ${total.toLocaleString('en-US')}-event log in ${Math.round(since(start))} s)`,
  );

  // W2: the API's own start-up rebuild, less the start-up of an API with nothing to rebuild.
  const empty = await startApi({ NEWSROOM_DB: join(ctx.dir, 'empty.db') });
  const baseline = empty.startSeconds;
  await empty.stop();
  // Each cap leaves time for what follows: verify, then W6 (its budget and start-up).
  const growthReserve = ctx.quick ? 40 : 100;
  const clamp = (seconds: number) =>
    Math.round(Math.max(ctx.quick ? 45 : 30, Math.min(ctx.quick ? 60 : 180, seconds)));
  const cap = clamp(ctx.secondsLeft() - growthReserve - (ctx.quick ? 15 : 100));
  const rebuildWhat = `rebuild of a ${total.toLocaleString('en-US')}-event log (API start)`;
  let running;
  try {
    running = await startApi({ NEWSROOM_DB: file }, cap);
  } catch (error) {
    reportCappedRebuild(ctx, rebuildWhat, file, cap - baseline, total, error as Error);
    ctx.report.skip('W3', 'asOf reads of a busy claim', 'reads/s', 'needs the rebuilt log (W2)');
  }
  if (running !== undefined) {
    const seconds = running.startSeconds - baseline;
    const rss = running.peakRssMb();
    const limit = ctx.report.value('L', LIMIT.readParsed);
    ctx.report.add({
      id: 'W2',
      what: rebuildWhat,
      value: total / seconds,
      unit: 'events/s',
      against: limit === undefined ? undefined : `rows read+parsed ${Math.round(limit)}/s`,
      note: `${seconds.toFixed(1)} s, peak RSS ${rss === undefined ? '?' : Math.round(rss)} MB`,
      details: {
        events: total,
        seconds,
        startSeconds: running.startSeconds,
        baselineSeconds: baseline,
        peakRssMb: rss,
      },
    });
    try {
      await asOfReads(ctx, running.url, busy, busyStatements);
    } finally {
      await running.stop();
    }
  }

  // W4: verify, as an auditor would run it.
  const verifyCap = clamp(ctx.secondsLeft() - growthReserve);
  const verify = await runNode(
    AUDITOR_MAIN,
    ['verify'],
    { EVENT_STORE: 'sqlite', NEWSROOM_DB: file },
    {
      capSeconds: verifyCap,
      rssFile: ctx.rssFile('verify'),
    },
  );
  const verifyWhat = `audit verify of the ${total.toLocaleString('en-US')}-event log`;
  if (verify.code !== 0 || verify.capped) {
    const why = verify.capped
      ? `not done within ${verifyCap} s`
      : `exit ${verify.code}: ${verify.stderr.slice(-300)}`;
    ctx.report.skip('W4', verifyWhat, 'events/s', why);
  } else {
    const limit = ctx.report.value('L', LIMIT.sha);
    ctx.report.add({
      id: 'W4',
      what: verifyWhat,
      value: total / verify.seconds,
      unit: 'events/s',
      against: limit === undefined ? undefined : `chained SHA-256 ${Math.round(limit)}/s`,
      note: `${verify.seconds.toFixed(1)} s, peak RSS ${verify.peakRssMb === undefined ? '?' : Math.round(verify.peakRssMb)} MB`,
      details: { events: total, seconds: verify.seconds, peakRssMb: verify.peakRssMb },
    });
  }
}

/**
 * A rebuild stopped at its cap still committed its progress: the projection's checkpoint (read
 * from the file, best effort: the table is the projection's own) gives the rate so far.
 */
function reportCappedRebuild(
  ctx: BenchContext,
  what: string,
  file: string,
  seconds: number,
  total: number,
  error: Error,
): void {
  let position: number | undefined;
  try {
    const db = openSqliteDatabase(file);
    try {
      const row = db.prepare('SELECT MAX(position) AS position FROM rm_checkpoints').get() as
        { position: number | null } | undefined;
      position = row?.position ?? undefined;
    } finally {
      db.close();
    }
  } catch {
    position = undefined;
  }
  if (position === undefined) {
    ctx.report.skip('W2', what, 'events/s', `not done within the cap: ${error.message.slice(0, 200)}`);
    return;
  }
  ctx.report.add({
    id: 'W2',
    what,
    value: position / seconds,
    unit: 'events/s',
    note: `stopped at the ${Math.round(seconds)} s cap with ${position.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events projected: the rate so far`,
    details: { projected: position, events: total, seconds, capped: true },
  });
}

/** The demo as the built API records it through its commands. */
async function demoEvents(ctx: BenchContext): Promise<StoredEvent[]> {
  const file = join(ctx.dir, 'demo.db');
  const demo = await startApi({ NEWSROOM_DB: file, NEWSROOM_DEMO: 'on' });
  await demo.stop();
  const store = new SqliteEventStore(openSqliteDatabase(file), systemClock, { ownsDatabase: true });
  const events: StoredEvent[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: MAX_PAGE_SIZE });
    if (page.length === 0) break;
    events.push(...page);
    after = (page.at(-1) as StoredEvent).position;
  }
  await store.close();
  return events;
}

async function writeLog(file: string, events: Iterable<StoredEvent>): Promise<void> {
  const store = new SqliteEventStore(openSqliteDatabase(file), systemClock, { ownsDatabase: true });
  store.migrate();
  let batch: StoredEvent[] = [];
  for (const event of events) {
    batch.push(event);
    if (batch.length === 10_000) {
      await store.importRecorded(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.importRecorded(batch);
  await store.close();
}

/**
 * The demo claim with the most statements gets `count` more, appended as the store appends (copies
 * of its own statements with fresh ids), so it is a busy claim at the end of a long log.
 */
async function addBusyClaim(file: string, templates: StoredEvent[], count: number): Promise<BusyClaim> {
  const perClaim = new Map<string, StoredEvent[]>();
  for (const event of templates) {
    if (event.type !== 'StatementReported') continue;
    perClaim.set(event.streamId, [...(perClaim.get(event.streamId) ?? []), event]);
  }
  const [streamId, statements] = [...perClaim.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (streamId === undefined || statements === undefined) throw new Error('the demo has no statements');
  const claimId = (statements[0]?.data as { claimId: string }).claimId;
  if (claimStreamId(claimId) !== streamId)
    throw new Error(`unexpected stream ${streamId} for claim ${claimId}`);

  const store = new SqliteEventStore(openSqliteDatabase(file), systemClock, { ownsDatabase: true });
  try {
    let version = (await store.readStream(streamId)).length;
    for (let i = 0; i < count; i += 100) {
      const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => {
        const template = statements[(i + j) % statements.length] as StoredEvent;
        return {
          eventId: randomUUID(),
          type: template.type,
          schemaVersion: template.schemaVersion,
          data: { ...(template.data as object), statementId: randomUUID() },
          metadata: { principal: 'bench', correlationId: 'bench-busy-claim' },
        };
      });
      version = (await store.append(streamId, batch, version)).streamVersion;
    }
    const instants = (await store.readStream(streamId)).map((event) => event.metadata.recordedAt);
    return { claimId, instants };
  } finally {
    await store.close();
  }
}
