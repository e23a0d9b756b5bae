/**
 * W1 in process and W5: appends from 1 and from 64 concurrent writers, each writer on its own
 * stream appending one statement-sized event per call with the version it expects, and a whole
 * 1,000-event stream read back; on our stores and on Emmett's (bench/peer), interleaved on the same
 * engine (ours, peer, peer, ours, ...) in fresh files and schemas, reported as medians and ratios.
 */
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  type EventStore,
  type NewEvent,
  openPostgresEventStore,
  openSqliteDatabase,
  SqliteEventStore,
  systemClock,
} from '@app/event-store';
import type { BenchContext } from './context';
import { LIMIT } from './limits';
import { ROOT, runNode } from '../support/processes';
import { BENCH_DATABASE_URL, postgresProblem, withSchema } from '../support/postgres';
import { median, ratio, since } from '../support/report';

type Engine = 'sqlite' | 'postgres';
const ENGINE_NAME: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const PEER_DIR = join(ROOT, 'bench', 'peer');
const READ_EVENTS = 1000;

interface Sample {
  eventsPerSecond: number;
  readPerSecond: number;
  failures: number;
  /**
   * Ours only: this process's CPU time (user + system) per appended event, which the machine's
   * load disturbs less than the rate does (PostgreSQL's own work is not in it).
   */
  cpuUsPerEvent?: number;
}

export function statementEvent(i: number): NewEvent {
  return {
    // As the product makes them (DecisionRunner): time-ordered.
    eventId: uuidv7(),
    type: 'StatementReported',
    schemaVersion: 1,
    data: {
      claimId: 'c',
      statementId: randomUUID(),
      sourceId: 's',
      stance: 'affirms',
      value: { exact: i },
      quote: { text: 'قال المتحدث طلال سيلو إنه تم توفير ممر آمن', language: 'ar' },
      statedAt: { at: '2017-10-15T09:00:00.000Z', precision: 'hour' },
      attribution: 'on-record',
    },
    metadata: { principal: 'bench', correlationId: 'bench' },
  };
}

export async function measureAppends(ctx: BenchContext): Promise<void> {
  const pgProblem = await postgresProblem();
  const peerProblem = ensurePeer();
  const engines: Engine[] = pgProblem === undefined ? ['sqlite', 'postgres'] : ['sqlite'];
  const rounds = ctx.quick ? 1 : 3;
  const seconds = ctx.quick ? 1 : 2;
  const readSeconds = ctx.quick ? 0.5 : 1;
  const ours = new Map<string, Sample[]>();
  const peer = new Map<string, Sample[]>();
  const peerErrors = new Map<string, string>();
  const push = (map: Map<string, Sample[]>, key: string, sample: Sample) =>
    map.set(key, [...(map.get(key) ?? []), sample]);

  for (let round = 0; round < rounds; round++) {
    for (const engine of engines) {
      for (const writers of [64, 1]) {
        const key = `${engine}/${writers}`;
        const runOurs = async () => push(ours, key, await ourRun(ctx, engine, writers, seconds, readSeconds));
        const runPeer = async () => {
          if (peerProblem !== undefined) return;
          try {
            push(peer, key, await peerRun(ctx, engine, writers, seconds, readSeconds));
          } catch (error) {
            // One failed peer run (its stores are young and have races of their own) loses one sample.
            peerErrors.set(key, (error as Error).message.split('\n').slice(0, 3).join(' '));
          }
        };
        // Alternate who goes first, so neither side always gets the cooler machine.
        if (round % 2 === 0) {
          await runOurs();
          await runPeer();
        } else {
          await runPeer();
          await runOurs();
        }
      }
    }
  }

  const limitOf = (engine: Engine) =>
    engine === 'sqlite' ? ctx.report.value('L', LIMIT.commits) : ctx.report.value('L', LIMIT.pgCommits);
  for (const engine of engines) {
    for (const writers of [64, 1]) {
      const key = `${engine}/${writers}`;
      const mine = median((ours.get(key) ?? []).map((s) => s.eventsPerSecond));
      const theirs = peer.get(key);
      const theirRate = theirs ? median(theirs.map((s) => s.eventsPerSecond)) : undefined;
      const limit = limitOf(engine);
      const what = `appends in process, ${writers} writer${writers === 1 ? '' : 's'}, ${ENGINE_NAME[engine]}`;
      ctx.report.add({
        id: 'W1',
        what,
        value: mine,
        unit: 'events/s',
        against: `${ratio(mine, theirRate)} Emmett${limit === undefined ? '' : `; limit ${Math.round(limit)} commits/s`}`,
        details: { rounds: ours.get(key) },
      });
      if (theirs) {
        ctx.report.add({
          id: 'W5',
          what: `Emmett: ${what}`,
          value: theirRate ?? null,
          unit: 'events/s',
          against: `ours ${ratio(mine, theirRate)}`,
          details: { rounds: theirs },
        });
      } else {
        ctx.report.skip(
          'W5',
          `Emmett: ${what}`,
          'events/s',
          peerProblem ?? peerErrors.get(key) ?? 'no peer run',
        );
      }
    }
    const mineRead = median((ours.get(`${engine}/1`) ?? []).map((s) => s.readPerSecond));
    const theirRead = peer.get(`${engine}/1`);
    const theirReadRate = theirRead ? median(theirRead.map((s) => s.readPerSecond)) : undefined;
    const what = `read a ${READ_EVENTS}-event stream whole, ${ENGINE_NAME[engine]}`;
    ctx.report.add({
      id: 'W5',
      what: `ours: ${what}`,
      value: mineRead,
      unit: 'events/s',
      against: `${ratio(mineRead, theirReadRate)} Emmett`,
    });
    if (theirReadRate !== undefined) {
      ctx.report.add({ id: 'W5', what: `Emmett: ${what}`, value: theirReadRate, unit: 'events/s' });
    }
  }
  if (pgProblem !== undefined) ctx.report.skip('W1', 'appends in process, PostgreSQL', 'events/s', pgProblem);
}

async function ourRun(
  ctx: BenchContext,
  engine: Engine,
  writers: number,
  seconds: number,
  readSeconds: number,
): Promise<Sample> {
  if (engine === 'sqlite') {
    const db = openSqliteDatabase(join(ctx.dir, `ours-${randomUUID()}.db`));
    const store = new SqliteEventStore(db, systemClock, { ownsDatabase: true });
    store.migrate();
    try {
      return await workload(store, writers, seconds, readSeconds);
    } finally {
      await store.close();
    }
  }
  return withSchema('ours', async (schema) => {
    const store = await openPostgresEventStore({
      url: BENCH_DATABASE_URL,
      schema,
      clock: systemClock,
      onIdleError: () => undefined,
    });
    try {
      return await workload(store, writers, seconds, readSeconds);
    } finally {
      await store.close();
    }
  });
}

/** The same steps as bench/peer/peer.mjs, on our port. */
async function workload(
  store: EventStore,
  writers: number,
  seconds: number,
  readSeconds: number,
): Promise<Sample> {
  await store.append(`warm-${randomUUID()}`, [statementEvent(0)], 0);
  const run = randomUUID().slice(0, 8);
  let appends = 0;
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let version = 0;
      for (let i = 0; since(started) < seconds; i++) {
        try {
          version = (await store.append(`bench-${run}-${w}`, [statementEvent(i)], version)).streamVersion;
          appends++;
        } catch {
          failures++;
        }
      }
    }),
  );
  const eventsPerSecond = appends / since(started);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUsPerEvent = Math.round((cpu.user + cpu.system) / Math.max(1, appends));

  const stream = `read-${run}`;
  for (let i = 0; i < READ_EVENTS; i += 100) {
    await store.append(
      stream,
      Array.from({ length: Math.min(100, READ_EVENTS - i) }, (_, j) => statementEvent(i + j)),
      'any',
    );
  }
  let read = 0;
  const readStarted = performance.now();
  while (since(readStarted) < readSeconds) read += (await store.readStream(stream)).length;
  return { eventsPerSecond, readPerSecond: read / since(readStarted), failures, cpuUsPerEvent };
}

async function peerRun(
  ctx: BenchContext,
  engine: Engine,
  writers: number,
  seconds: number,
  readSeconds: number,
): Promise<Sample> {
  const args = ['--engine', engine, '--writers', String(writers), '--seconds', String(seconds)];
  args.push('--read-seconds', String(readSeconds));
  const go = async (extra: string[]) => {
    const run = await runNode(
      join(PEER_DIR, 'peer.mjs'),
      [...args, ...extra],
      {},
      { rssFile: ctx.rssFile('peer') },
    );
    if (run.code !== 0) throw new Error(`bench/peer/peer.mjs failed: ${run.stderr.slice(0, 600)}`);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      eventsPerSecond: number;
      failures: number;
      read: { eventsPerSecond: number };
    };
    return {
      eventsPerSecond: out.eventsPerSecond,
      readPerSecond: out.read.eventsPerSecond,
      failures: out.failures,
    };
  };
  if (engine === 'sqlite') return go(['--file', join(ctx.dir, `peer-${randomUUID()}.db`)]);
  return withSchema('peer', async (schema) => {
    const pool = new Pool({ connectionString: BENCH_DATABASE_URL });
    pool.on('error', () => undefined);
    await pool.query(`CREATE SCHEMA "${schema}"`).finally(() => pool.end());
    return go(['--url', BENCH_DATABASE_URL, '--schema', schema]);
  });
}

/** Installs the peer's own dependencies on first use; answers why not when it cannot. */
function ensurePeer(): string | undefined {
  if (existsSync(join(PEER_DIR, 'node_modules', '@event-driven-io', 'emmett-sqlite'))) return undefined;
  console.log('W5: installing the peer (npm ci --prefix bench/peer; builds sqlite3, a few minutes, once)');
  const started = performance.now();
  const npm = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (npm.status !== 0) {
    return 'the peer is not installed and `npm ci --prefix bench/peer` failed: run it by hand';
  }
  console.log(`W5: peer installed in ${Math.round(since(started))} s`);
  return undefined;
}
