import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { KEYS } from '../support/test-app';

/** Helpers for tests that run the built apps as real processes (so a SIGKILL is real). */

const ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/newsroom-api/src/main.js');
export const PROJECTOR_MAIN = join(ROOT, 'dist/apps/projector/src/main.js');

/** Builds the apps if dist/ is older than the sources: the processes run what the sources say now. */
export function buildApps(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.js'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 300_000,
  });
  if (!existsSync(API_MAIN) || !existsSync(PROJECTOR_MAIN)) throw new Error('the build wrote no apps');
}

export const API_KEYS = Object.entries(KEYS)
  .map(([role, key]) => `${key}:${role}:${role}-test`)
  .join(',');

export interface Running {
  name: string;
  child: ChildProcess;
  /** The last lines it wrote, for the failure message. */
  output: string[];
  url?: string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function spawnApp(name: string, main: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, output, exited };
}

export async function startApi(name: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const api = spawnApp(name, API_MAIN, { ...env, PORT: String(port), HOST: '127.0.0.1' });
  api.url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${api.url}/health`)).ok) return api;
    } catch {
      // not listening yet
    }
    if (api.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${name} did not start:\n${api.output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  await running.exited;
}
