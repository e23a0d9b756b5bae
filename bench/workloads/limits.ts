/**
 * L rows: what this machine can do at best, measured in the same run as the workloads so every
 * figure can be read against them (fsync'd commits, batched inserts, rows read and parsed, chained
 * SHA-256, PostgreSQL commits from 64 connections, a bare Node HTTP server under wrk).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Pool } from 'pg';
import { openSqliteDatabase } from '@app/event-store';
import type { BenchContext } from './context';
import { freePort, sleep } from '../support/processes';
import { postgresProblem, BENCH_DATABASE_URL, withSchema } from '../support/postgres';
import { since } from '../support/report';
import { NO_WRK, hasWrk, runWrk, writeGetScript } from '../support/wrk';

export const LIMIT = {
  commits: 'SQLite single-row commits, fsync each (same pragmas as the store)',
  batched: 'SQLite inserts batched in one transaction',
  readParsed: 'SQLite rows read and JSON-parsed',
  sha: 'chained SHA-256 over event-sized JSON',
  pgCommits: 'PostgreSQL single-row commits from 64 connections',
  http: 'bare Node HTTP server under wrk, 64 connections',
} as const;

const PAYLOAD = JSON.stringify({
  claimId: '31b37622-9ef0-4760-a470-e146f003dfd0',
  statementId: '4e19e7de-99aa-4f88-a95e-ac3bd89dae0d',
  stance: 'affirms',
  value: { exact: 12 },
  quote: { text: 'قال المتحدث طلال سيلو إنه تم توفير ممر آمن', language: 'ar' },
  statedAt: { at: '2017-10-15T09:00:00.000Z', precision: 'hour' },
  attribution: 'on-record',
});

export async function measureLimits(ctx: BenchContext): Promise<void> {
  const { report, quick } = ctx;
  const db = openSqliteDatabase(join(ctx.dir, 'limits.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (data) VALUES (?)');

  const commitSeconds = quick ? 1 : 2;
  let commits = 0;
  let start = performance.now();
  while (since(start) < commitSeconds) {
    insert.run(PAYLOAD);
    commits++;
  }
  report.add({ id: 'L', what: LIMIT.commits, value: commits / since(start), unit: 'commits/s' });

  const rows = quick ? 50_000 : 200_000;
  start = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(PAYLOAD);
  })();
  report.add({ id: 'L', what: LIMIT.batched, value: rows / since(start), unit: 'rows/s' });

  start = performance.now();
  let read = 0;
  for (const row of db.prepare('SELECT data FROM t').iterate() as Iterable<{ data: string }>) {
    JSON.parse(row.data);
    read++;
  }
  report.add({ id: 'L', what: LIMIT.readParsed, value: read / since(start), unit: 'rows/s' });
  db.close();

  let hash = '0'.repeat(64);
  let hashes = 0;
  start = performance.now();
  while (since(start) < (quick ? 0.5 : 1)) {
    for (let i = 0; i < 1000; i++) hash = createHash('sha256').update(hash).update(PAYLOAD).digest('hex');
    hashes += 1000;
  }
  report.add({ id: 'L', what: LIMIT.sha, value: hashes / since(start), unit: 'hashes/s' });

  await postgresCommits(ctx);
  await bareHttp(ctx);
}

async function postgresCommits(ctx: BenchContext): Promise<void> {
  const problem = await postgresProblem();
  if (problem !== undefined) return void ctx.report.skip('L', LIMIT.pgCommits, 'commits/s', problem);
  await withSchema('limits', async (schema) => {
    const pool = new Pool({ connectionString: BENCH_DATABASE_URL, max: 64 });
    pool.on('error', () => undefined);
    try {
      await pool.query(`CREATE SCHEMA "${schema}"`);
      await pool.query(`CREATE TABLE "${schema}".t (id bigserial PRIMARY KEY, data jsonb NOT NULL)`);
      const seconds = ctx.quick ? 1 : 3;
      let commits = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (since(start) < seconds) {
            await pool.query(`INSERT INTO "${schema}".t (data) VALUES ($1)`, [PAYLOAD]);
            commits++;
          }
        }),
      );
      ctx.report.add({ id: 'L', what: LIMIT.pgCommits, value: commits / since(start), unit: 'commits/s' });
    } finally {
      await pool.end();
    }
  });
}

async function bareHttp(ctx: BenchContext): Promise<void> {
  if (!hasWrk()) return void ctx.report.skip('L', LIMIT.http, 'req/s', NO_WRK);
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'support', 'bare-server.js'), String(port)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('error', reject);
    });
    await sleep(100);
    const result = await runWrk({
      url: `http://127.0.0.1:${port}`,
      connections: 64,
      threads: 2,
      seconds: ctx.quick ? 2 : 5,
      script: writeGetScript(join(ctx.dir, 'get.lua'), '/'),
    });
    ctx.report.add({
      id: 'L',
      what: LIMIT.http,
      value: result.perSecond,
      unit: 'req/s',
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
    });
  } finally {
    child.kill('SIGTERM');
  }
}
