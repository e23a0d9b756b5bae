import { advisoryLockKey, type PostgresMigration, type PostgresMigrationSet } from '@app/event-store';

/**
 * The idempotency table on PostgreSQL, in the schema that holds the log, with its own version
 * table (the event store's migrations are the event store's). Append-only: never edit a shipped
 * migration, add the next version. `response` is the JSON text of the answer, replayed verbatim.
 */
const MIGRATIONS: readonly PostgresMigration[] = [
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

/** A 64-bit advisory lock key (decimal text, for a ::bigint parameter) for one purpose. */
export function advisoryKey(purpose: string): string {
  return advisoryLockKey(`idempotency/${purpose}`);
}

/** The idempotency table's migrations in `schema`, under their own lock and version table. */
export function idempotencyMigrations(schema: string): PostgresMigrationSet {
  return {
    what: 'the idempotency keys',
    versionTable: 'idempotency_migrations',
    lockKey: advisoryKey(`migrate/${schema}`),
    migrations: MIGRATIONS,
  };
}
