/** PostgreSQL for the bench: each run in a fresh schema, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<string | undefined> | undefined;

/** undefined when the server answers; otherwise why not (PostgreSQL rows are then skipped). */
export function postgresProblem(): Promise<string | undefined> {
  reachable ??= (async () => {
    const pool = new Pool({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 3_000 });
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL not reachable at ${BENCH_DATABASE_URL} (${(error as Error).message}): skipped`;
    } finally {
      await pool.end();
    }
  })();
  return reachable;
}

export function schemaName(prefix: string): string {
  return `bench_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs `work` with a fresh schema name, then drops the schema whatever happened. */
export async function withSchema<T>(prefix: string, work: (schema: string) => Promise<T>): Promise<T> {
  const schema = schemaName(prefix);
  try {
    return await work(schema);
  } finally {
    const pool = new Pool({ connectionString: BENCH_DATABASE_URL });
    pool.on('error', () => undefined);
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  }
}
