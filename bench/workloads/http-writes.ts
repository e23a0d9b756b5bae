/**
 * W1 over HTTP: wrk POSTs statements (64 connections, a fresh statementId each) to the built API
 * started as child processes — on SQLite, and on PostgreSQL with one and with two replicas (one
 * log; wrk's connections split between the replicas) — spread over many claims, then hot on 8.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { LIMIT } from './limits';
import { api, inParallel, startApi, type RunningApi } from '../support/processes';
import { BENCH_DATABASE_URL, postgresProblem, withSchema } from '../support/postgres';
import { NO_WRK, hasWrk, runWrk, type WrkResult, writeStatementScript } from '../support/wrk';

interface Setup {
  name: string;
  engine: 'sqlite' | 'postgres';
  replicas: number;
}

const SETUPS: Setup[] = [
  { name: 'SQLite, 1 replica', engine: 'sqlite', replicas: 1 },
  { name: 'PostgreSQL, 1 replica', engine: 'postgres', replicas: 1 },
  { name: 'PostgreSQL, 2 replicas', engine: 'postgres', replicas: 2 },
];
const HOT = 8;

export async function measureHttpWrites(ctx: BenchContext): Promise<void> {
  const claims = ctx.quick ? 200 : 1000;
  const shapes = [`spread over ${claims.toLocaleString('en-US')} claims`, `hot on ${HOT} claims`];
  const pgProblem = await postgresProblem();
  for (const setup of SETUPS) {
    const rows = shapes.map((shape) => `POST statement over HTTP, ${setup.name}, ${shape}`);
    if (!hasWrk()) {
      rows.forEach((what) => ctx.report.skip('W1', what, 'statements/s', NO_WRK));
      continue;
    }
    if (setup.engine === 'postgres' && pgProblem !== undefined) {
      rows.forEach((what) => ctx.report.skip('W1', what, 'statements/s', pgProblem));
      continue;
    }
    const run = async (env: NodeJS.ProcessEnv) => {
      const replicas: RunningApi[] = [];
      try {
        for (let r = 0; r < setup.replicas; r++) {
          replicas.push(await startApi({ ...env, NEWSROOM_DB: join(ctx.dir, `http-${randomUUID()}.db`) }));
        }
        const first = replicas[0] as RunningApi;
        const ids = await createClaims(first.url, claims);
        for (const [i, targets] of [ids.claimIds, ids.claimIds.slice(0, HOT)].entries()) {
          const result = await hammer(ctx, replicas, targets, ids.sourceId);
          report(ctx, rows[i] as string, result);
        }
      } finally {
        await Promise.all(replicas.map((replica) => replica.stop()));
      }
    };
    try {
      if (setup.engine === 'sqlite') await run({ EVENT_STORE: 'sqlite' });
      else {
        await withSchema('http', (schema) =>
          run({ EVENT_STORE: 'postgres', DATABASE_URL: BENCH_DATABASE_URL, NEWSROOM_PG_SCHEMA: schema }),
        );
      }
    } catch (error) {
      rows.forEach((what) =>
        ctx.report.skip('W1', what, 'statements/s', `failed: ${(error as Error).message}`),
      );
    }
  }
}

async function createClaims(url: string, count: number): Promise<{ sourceId: string; claimIds: string[] }> {
  const source = await api<{ id: string }>(url, 'POST', '/sources', { name: 'Bench wire', kind: 'group' });
  const claimIds: string[] = new Array<string>(count);
  await inParallel(count, 16, async (i) => {
    const claim = await api<{ id: string }>(url, 'POST', '/claims', {
      storyId: 'bench',
      proposition: { text: `bench claim ${i}`, language: 'en' },
      valueKind: 'quantity',
    });
    claimIds[i] = claim.id;
  });
  return { sourceId: source.id, claimIds };
}

/** 64 connections in all, split evenly between the replicas, for the same time. */
async function hammer(
  ctx: BenchContext,
  replicas: RunningApi[],
  claimIds: string[],
  sourceId: string,
): Promise<WrkResult & { replicas: WrkResult[] }> {
  const seconds = ctx.quick ? 2 : 6;
  const results = await Promise.all(
    replicas.map((replica, salt) =>
      runWrk({
        url: replica.url,
        connections: 64 / replicas.length,
        threads: replicas.length === 1 ? 2 : 1,
        seconds,
        script: writeStatementScript(join(ctx.dir, `post-${randomUUID()}.lua`), claimIds, sourceId, salt),
      }),
    ),
  );
  const sum = (pick: (r: WrkResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const wall = Math.max(...results.map((r) => r.seconds));
  return {
    requests: sum((r) => r.requests),
    seconds: wall,
    perSecond: sum((r) => r.perSecond),
    non2xx: sum((r) => r.non2xx),
    conflicts: sum((r) => r.conflicts),
    socketErrors: sum((r) => r.socketErrors),
    // Percentiles do not add up across wrk processes: the mean p50 and the worst p99.
    p50Ms: sum((r) => r.p50Ms) / results.length,
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    replicas: results,
  };
}

function report(ctx: BenchContext, what: string, result: WrkResult & { replicas: WrkResult[] }): void {
  const ok = result.requests - result.non2xx;
  const limit = ctx.report.value('L', LIMIT.http);
  ctx.report.add({
    id: 'W1',
    what,
    value: ok / result.seconds,
    unit: 'statements/s',
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    against: limit === undefined ? undefined : `bare HTTP ${Math.round(limit)} req/s`,
    note: `non-2xx ${result.non2xx} (409: ${result.conflicts})${result.socketErrors > 0 ? `, socket errors ${result.socketErrors}` : ''}${replicaSplit(result.replicas)}`,
    details: { ...result },
  });
}

/**
 * With several replicas, each one's share of the answers and its p99: the same connections on
 * each, so a replica that loses the races on hot claims shows here (docs/performance.md).
 */
function replicaSplit(replicas: readonly WrkResult[]): string {
  if (replicas.length < 2) return '';
  const total = replicas.reduce((sum, r) => sum + r.requests, 0);
  const shares = replicas.map(
    (r) => `${total === 0 ? 0 : Math.round((100 * r.requests) / total)}% p99 ${Math.round(r.p99Ms)} ms`,
  );
  return `; replicas ${shares.join(' / ')}`;
}
