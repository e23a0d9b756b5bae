import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/**
 * The idempotency table on PostgreSQL, in the schema that holds the log, with its own version
 * table (the event store's migrations are the event store's). Append-only: never edit a shipped
 * migration, add the next version. `response` is the JSON text of the answer, replayed verbatim.
 */
const MIGRATIONS: readonly { version: number; sql: (schema: string) => string }[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.idempotency_keys (
        key_digest      TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        principal       TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'complete')),
        token           TEXT NOT NULL,
        owner           TEXT NOT NULL,
        response        TEXT,
        reserved_at     TEXT NOT NULL,
        PRIMARY KEY (key_digest, idempotency_key),
        CHECK ((state = 'complete') = (response IS NOT NULL))
      );
      CREATE INDEX idempotency_keys_pending ON ${s}.idempotency_keys (owner) WHERE state = 'pending';
    `,
  },
];

export const POSTGRES_IDEMPOTENCY_SCHEMA_VERSION = MIGRATIONS.length;

/** Double-quoted, so the name is taken exactly as given (no case folding). */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A 64-bit advisory lock key (decimal text, for a ::bigint parameter) for one purpose. */
export function advisoryKey(purpose: string): string {
  const digest = createHash('sha256').update(`newsroom-ledger/idempotency/${purpose}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Applies the missing migrations inside the caller's transaction, under a transaction-level
 * advisory lock per schema, so replicas starting together do not race. Creates the schema if
 * missing (the event store normally has already).
 */
export async function migratePostgresIdempotency(client: PoolClient, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`migrate/${schema}`)]);
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.idempotency_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT    NOT NULL
  )`);
  const current = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM ${s}.idempotency_migrations`,
  );
  const version = current.rows[0]?.version ?? 0;
  if (version > POSTGRES_IDEMPOTENCY_SCHEMA_VERSION) {
    throw new Error(
      `the idempotency table in ${schema} is at version ${version}, newer than this code (${POSTGRES_IDEMPOTENCY_SCHEMA_VERSION})`,
    );
  }
  for (const migration of MIGRATIONS.filter((m) => m.version > version)) {
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${s}.idempotency_migrations (version, applied_at) VALUES ($1, $2)`, [
      migration.version,
      new Date().toISOString(),
    ]);
  }
}
