import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { transaction } from './postgres-query';

/** One step of a schema's history. Append-only: never edit a shipped migration, add the next one. */
export interface PostgresMigration {
  version: number;
  /** The SQL, given the double-quoted schema name. */
  sql: (quotedSchema: string) => string;
}

/**
 * What one component (the event store, the read models, the idempotency keys) keeps in a schema:
 * its own version table, so each migrates on its own beside the others.
 */
export interface PostgresMigrationSet {
  /** Names the component in errors, e.g. "the read models". */
  what: string;
  /** Its version table, e.g. `read_model_migrations`. */
  versionTable: string;
  /** Its advisory lock key (see advisoryLockKey): one per component and schema. */
  lockKey: string;
  migrations: readonly PostgresMigration[];
}

/** Double-quoted, so the name is taken exactly as given (no case folding). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A 64-bit advisory lock key (decimal text, for a ::bigint parameter) for one purpose. Advisory
 * locks are per database, so the name should include the schema: components in other schemas
 * (parallel test runs) never wait on each other.
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(`newsroom-ledger/${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Applies the missing migrations inside the caller's transaction, under a transaction-level
 * advisory lock, so replicas starting together do not race; creates the schema if it does not
 * exist. Safe on every start; refuses a schema migrated by newer code.
 */
export async function applyPostgresMigrations(
  client: PoolClient,
  schema: string,
  set: PostgresMigrationSet,
): Promise<void> {
  const s = quoteIdentifier(schema);
  const table = `${s}.${quoteIdentifier(set.versionTable)}`;
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [set.lockKey]);
  // Looked up first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even
  // when the schema exists, and an operator may have created it for a less privileged role.
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT    NOT NULL
  )`);
  const current = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM ${table}`,
  );
  const version = current.rows[0]?.version ?? 0;
  const latest = set.migrations.length;
  if (version > latest) {
    throw new Error(
      `${set.what} in schema ${schema} are at version ${version}, newer than this code (${latest})`,
    );
  }
  for (const migration of set.migrations.filter((m) => m.version > version)) {
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${table} (version, applied_at) VALUES ($1, $2)`, [
      migration.version,
      new Date().toISOString(),
    ]);
  }
}

/** applyPostgresMigrations in a transaction of its own, on a connection of the pool. */
export function migratePostgres(pool: Pool, schema: string, set: PostgresMigrationSet): Promise<void> {
  return transaction(pool, (client) => applyPostgresMigrations(client, schema, set));
}
