import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt } from '../../scripts/build-if-stale';

const MAIN = resolve(__dirname, '../../dist/apps/newsroom-api/src/main.js');

interface Exited {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns its own SQLite servers: the PostgreSQL pass of the e2e tier would only repeat it. */
const describeOnce = process.env.E2E_EVENT_STORE === 'postgres' ? describe.skip : describe;

/** The built API as `npm start` runs it: what reaches stdout (the log) and stderr (the person). */
describeOnce('starting the built API', () => {
  let dir: string;
  let port: number;
  let first: ChildProcess | undefined;

  beforeAll(async () => {
    // Compiles only if dist/ is older than the sources (tens of seconds when it is).
    if (!ensureBuilt()) throw new Error('the build failed');
    dir = mkdtempSync(join(tmpdir(), 'newsroom-startup-'));
    port = await freePort();
  }, 180_000);
  afterAll(async () => {
    if (first !== undefined && first.exitCode === null) {
      const exited = new Promise((done) => first!.once('exit', done));
      first.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (db: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    NEWSROOM_DB: join(dir, db),
    NEWSROOM_DEMO: 'off',
    LOG_LEVEL: 'info',
  });

  it('keeps the local admin key out of the JSON log on stdout', async () => {
    const child = spawn(process.execPath, [MAIN, '--local-defaults'], { env: env('first.db') });
    first = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stderr.includes('local admin key'), child);

    const key = readFileSync(join(dir, 'local-admin.key'), 'utf8').trim();
    const lines = stdout.trim().split('\n');
    expect(lines.some((line) => line.includes('newsroom API listening'))).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(stdout).not.toContain(key);
    // Not a terminal: the file's name, not the key.
    expect(stderr).toBe(`newsroom-api: local admin key in ${join(dir, 'local-admin.key')}\n`);
  });

  it('a second server on the same port exits 1 with one line, not a stack trace', async () => {
    const second = await run(spawn(process.execPath, [MAIN, '--local-defaults'], { env: env('second.db') }));
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(
      `newsroom-api: cannot listen on 127.0.0.1:${port}: the port is already in use (stop the other server or set PORT)\n`,
    );
    expect(second.stdout).not.toContain('    at ');
  });

  it('a configuration mistake exits 2 with one line', async () => {
    const bad = await run(
      spawn(process.execPath, [MAIN], { env: { ...env('third.db'), EVENT_STORE: 'paper' } }),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^newsroom-api: EVENT_STORE must be one of [^\n]+\n$/);
  });
});

function run(child: ChildProcess): Promise<Exited> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (status) => done({ status, stdout, stderr })));
}

async function waitFor(condition: () => boolean, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the API did not start in time');
    await new Promise((done) => setTimeout(done, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
