import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { appendEventsFunction } from './postgres-append-function';
import {
  advisoryLockKey,
  applyPostgresMigrations,
  type PostgresMigration,
  quoteIdentifier,
} from './postgres-migrations';

/**
 * The PostgreSQL event store's tables, in one schema of the caller's choosing. Its own version
 * table (`event_store_migrations`), as on SQLite. Append-only: never edit a shipped migration, add
 * the next version.
 *
 * Column choices (see the adapter's header for the reasoning on positions):
 * - `position` is a plain BIGINT assigned by the adapter under an advisory lock, not an IDENTITY:
 *   positions stay dense (no sequence gaps after a rollback or a crash), so an auditor can keep
 *   treating a hole as evidence of a deleted row, as it does on SQLite.
 * - `data` and `metadata` are `json`, never `jsonb`: `json` keeps the exact text it was given,
 *   while `jsonb` reorders keys, drops duplicate keys, rewrites numbers and refuses `\u0000`.
 *   The hash covers the canonical form of what is read back, so it must be what was written.
 * - `recorded_at` is the ISO text that was hashed, with the "C" collation: byte order is time order
 *   for the fixed-width form, whatever the database's locale.
 */
const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.events (
        position       BIGINT  PRIMARY KEY CHECK (position >= 1),
        event_id       TEXT    NOT NULL UNIQUE,
        stream_id      TEXT    NOT NULL,
        stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
        data           JSON    NOT NULL,
        metadata       JSON    NOT NULL,
        hash           TEXT    NOT NULL,
        prev_hash      TEXT    NOT NULL,
        recorded_at    TEXT    COLLATE "C" NOT NULL
          CHECK (recorded_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$'),
        UNIQUE (stream_id, stream_version)
      );
      CREATE INDEX events_recorded_at ON ${s}.events (recorded_at, position);
      -- The log is evidence: rewriting it would break the hash chain silently until audited.
      CREATE FUNCTION ${s}.events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'events are append-only'; END
      $$;
      CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON ${s}.events
        FOR EACH ROW EXECUTE FUNCTION ${s}.events_append_only();
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_append_only();
    `,
  },
  {
    // The log's identity (see LogIdentity): one row, its id written by migratePostgresEventStore.
    version: 2,
    sql: (s) => `
      CREATE TABLE ${s}.log_identity (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        log_id     TEXT    NOT NULL,
        created_at TEXT    NOT NULL
      );
    `,
  },
  {
    // One round trip per group commit (docs/decisions/0024): see appendEventsFunction.
    version: 3,
    sql: (s) => appendEventsFunction(s),
  },
];

export const POSTGRES_EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A schema name as the `schema` option and NEWSROOM_PG_SCHEMA accept it: a plain identifier. */
export function checkSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new RangeError(
      `PostgreSQL schema name must be letters, digits and _ (not starting with a digit, at most 63), got "${schema}"`,
    );
  }
  return schema;
}

export { quoteIdentifier };

/**
 * A 64-bit advisory lock key for one purpose in one schema. Advisory locks are per database, so the
 * key includes the schema: stores in different schemas (parallel test runs) do not wait on each
 * other, while every writer of one log takes the same lock.
 */
export function advisoryKey(purpose: 'append' | 'migrate', schema: string): string {
  return advisoryLockKey(`event-store/${purpose}/${schema}`);
}

/**
 * Applies the missing migrations. Runs inside the caller's transaction, under an advisory lock so
 * that replicas starting together do not race; creates the schema if it does not exist. Safe on
 * every start.
 */
export async function migratePostgresEventStore(client: PoolClient, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const encoding = await client.query<{ encoding: string }>(
    "SELECT current_setting('server_encoding') AS encoding",
  );
  if (encoding.rows[0]?.encoding !== 'UTF8') {
    // Quotes in Arabic must be stored byte for byte; a non-UTF8 database would refuse or mangle them.
    throw new Error(
      `PostgresEventStore needs a UTF8 database, this one is ${encoding.rows[0]?.encoding ?? 'unknown'}`,
    );
  }
  await applyPostgresMigrations(client, schema, {
    what: 'the event store tables',
    versionTable: 'event_store_migrations',
    lockKey: advisoryKey('migrate', schema),
    migrations: MIGRATIONS,
  });
  await client.query(
    `INSERT INTO ${s}.log_identity (singleton, log_id, created_at) VALUES (1, $1, $2) ON CONFLICT DO NOTHING`,
    [randomUUID(), new Date().toISOString()],
  );
}
