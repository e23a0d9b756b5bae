import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';
import { quoteIdentifier } from '../postgres-schema';

/** Test helpers for the PostgreSQL tiers: never imported by production code. */

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface PostgresAvailability {
  available: boolean;
  /** Why not, when not: the connection error, for the message. */
  reason?: string;
}

let probed: PostgresAvailability | undefined;

/**
 * Whether the test server answers, decided synchronously (a child process connects once) because
 * Jest registers `describe` blocks synchronously and must know then whether to run or skip them.
 */
export function probePostgres(url = TEST_DATABASE_URL): PostgresAvailability {
  if (probed !== undefined) return probed;
  const script = `
    const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('SELECT 1')).then(
      () => client.end().then(() => process.exit(0)),
      (error) => { process.stderr.write(String(error && error.message)); process.exit(1); },
    );`;
  try {
    execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, PROBE_URL: url },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    probed = { available: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    probed = { available: false, reason: stderr || (error instanceof Error ? error.message : String(error)) };
  }
  return probed;
}

/**
 * `describe` when the server answers. Without one: under CI a failing test that says why (a
 * skipped tier must never pass silently there); locally a loud warning and a skip.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  const { available, reason } = probePostgres();
  if (available) {
    describe(name, body);
    return;
  }
  const message =
    `PostgreSQL is not reachable at ${redact(TEST_DATABASE_URL)} (${reason ?? 'no reason given'}). ` +
    'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_DATABASE_URL.';
  if (process.env.CI) {
    describe(name, () => {
      it('needs a PostgreSQL server', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${message}\n`);
  describe.skip(name, body);
}

/** A schema name no other run uses: tests create it and drop it when done. */
export function uniqueSchemaName(prefix = 'es_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`;
}

export function testPool(config: PoolConfig = {}): Pool {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10, ...config });
  // An idle client's error (server restart) must not crash the test process.
  pool.on('error', () => undefined);
  return pool;
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
