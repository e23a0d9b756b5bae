/** Child processes of the bench: the built API, the auditor, helper scripts; each measured alone. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { since } from './report';

/** dist/ of this build (this file is dist/bench/support/processes.js). */
export const DIST = join(__dirname, '..', '..');
/** The repository root. */
export const ROOT = join(DIST, '..');
export const API_MAIN = join(DIST, 'apps', 'newsroom-api', 'src', 'main.js');
export const AUDITOR_MAIN = join(DIST, 'apps', 'auditor', 'src', 'main.js');
export const BENCH_KEY = 'bench-admin-key';
const RSS_PROBE = join(__dirname, 'rss-probe.js');

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak RSS of the child, in MB (from the preloaded probe); undefined if it did not report. */
  peakRssMb?: number;
  /** True when the run was ended at its time cap. */
  capped: boolean;
}

/** Runs `node <script> ...args` to completion (or until `capSeconds`), with its peak RSS. */
export function runNode(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { capSeconds?: number; rssFile: string },
): Promise<NodeRun> {
  rmSync(options.rssFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', RSS_PROBE, script, ...args], {
    env: { ...process.env, ...env, BENCH_RSS_FILE: options.rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  let capped = false;
  const timer =
    options.capSeconds === undefined
      ? undefined
      : setTimeout(() => {
          capped = true;
          child.kill('SIGTERM');
        }, options.capSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const seconds = since(started);
      const rss = existsSync(options.rssFile) ? Number(readFileSync(options.rssFile, 'utf8')) : NaN;
      resolve({
        code,
        stdout,
        stderr,
        seconds,
        capped,
        ...(Number.isFinite(rss) ? { peakRssMb: rss / 1024 } : {}),
      });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApi {
  url: string;
  child: ChildProcess;
  /** Seconds from spawn until /health answered. */
  startSeconds: number;
  /** The child's peak RSS so far, in MB (Linux /proc). */
  peakRssMb(): number | undefined;
  stop(): Promise<void>;
}

/** Starts the built API (`node dist/apps/newsroom-api/src/main.js`) and waits for /health. */
export async function startApi(env: NodeJS.ProcessEnv, timeoutSeconds = 120): Promise<RunningApi> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      NEWSROOM_API_KEYS: `${BENCH_KEY}:admin:bench`,
      NEWSROOM_DEMO: 'off',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  let exited = false;
  const closed = new Promise<void>((resolve) =>
    child.on('close', () => {
      exited = true;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(killer);
  };
  while (!(await healthy(url))) {
    if (exited || since(started) > timeoutSeconds) {
      await stop();
      throw new Error(`the API did not start within ${timeoutSeconds} s: ${stderr.trim().slice(-800)}`);
    }
    await sleep(100);
  }
  const startSeconds = since(started);
  return { url, child, startSeconds, peakRssMb: () => procPeakRssMb(child.pid), stop };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** VmHWM (peak resident set) of a live process, from /proc; undefined where there is no /proc. */
export function procPeakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON over HTTP with the bench's admin key; throws on a status outside 2xx. */
export async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
