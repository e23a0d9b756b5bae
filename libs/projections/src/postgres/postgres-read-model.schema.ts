import {
  advisoryLockKey,
  type PostgresMigration,
  type PostgresMigrationSet,
  quoteIdentifier,
} from '@app/event-store';
import { READ_MODEL_TABLES } from '../sqlite/read-model.schema';

/**
 * The read models on PostgreSQL: the same tables as on SQLite (../sqlite/read-model.schema.ts), in
 * the schema of the log they are projected from, with their own version table
 * (`read_model_migrations`). Append-only: never edit a shipped migration, add the next version;
 * a change to what the projection writes also bumps PROJECTION_VERSION, which rebuilds the rows.
 *
 * - Stored JSON (`record`, `view`, `state`) is TEXT: exactly the bytes JSON.stringify gave, as on
 *   SQLite, so a read is byte-identical to a rebuild and to the embedded store (`jsonb` would
 *   reorder keys and rewrite numbers).
 * - Ids are TEXT COLLATE "C": paging by id (`source_id > $after ORDER BY source_id`) then orders
 *   by code point, as SQLite's BINARY collation does, whatever the database's locale.
 */
const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.rm_checkpoints (projection TEXT COLLATE "C" PRIMARY KEY, position BIGINT NOT NULL);
      CREATE TABLE ${s}.rm_meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE ${s}.rm_sources (
        source_id      TEXT COLLATE "C" PRIMARY KEY,
        affiliation_id TEXT COLLATE "C",
        kind           TEXT NOT NULL,
        search_key     TEXT NOT NULL,
        record         TEXT NOT NULL
      );
      CREATE INDEX rm_sources_affiliation ON ${s}.rm_sources (affiliation_id);
      CREATE TABLE ${s}.rm_claims (
        claim_id        TEXT COLLATE "C" PRIMARY KEY,
        story_id        TEXT COLLATE "C" NOT NULL,
        status          TEXT NOT NULL,
        opened_position BIGINT NOT NULL,
        stream_version  INTEGER NOT NULL,
        record          TEXT NOT NULL,
        view            TEXT NOT NULL
      );
      CREATE INDEX rm_claims_opened ON ${s}.rm_claims (opened_position);
      CREATE INDEX rm_claims_story ON ${s}.rm_claims (story_id, opened_position);
      CREATE INDEX rm_claims_status ON ${s}.rm_claims (status, opened_position);
      CREATE TABLE ${s}.rm_claim_sources (
        source_id TEXT COLLATE "C" NOT NULL,
        claim_id  TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (source_id, claim_id)
      );
      CREATE INDEX rm_claim_sources_claim ON ${s}.rm_claim_sources (claim_id);
      CREATE TABLE ${s}.rm_statements (
        claim_id          TEXT COLLATE "C" NOT NULL,
        statement_id      TEXT COLLATE "C" NOT NULL,
        source_id         TEXT COLLATE "C" NOT NULL,
        reported_position BIGINT NOT NULL,
        stance            TEXT NOT NULL,
        stated_at_ms      BIGINT,
        retracted         INTEGER NOT NULL,
        record            TEXT NOT NULL,
        PRIMARY KEY (claim_id, statement_id)
      );
      CREATE INDEX rm_statements_reported ON ${s}.rm_statements (claim_id, reported_position);
      CREATE INDEX rm_statements_claim_source ON ${s}.rm_statements (claim_id, source_id, retracted);
      CREATE INDEX rm_statements_source ON ${s}.rm_statements (source_id);
      CREATE TABLE ${s}.rm_claim_snapshots (
        claim_id       TEXT COLLATE "C" NOT NULL,
        stream_version INTEGER NOT NULL,
        position       BIGINT NOT NULL,
        state          TEXT NOT NULL,
        PRIMARY KEY (claim_id, stream_version)
      );
      CREATE INDEX rm_claim_snapshots_position ON ${s}.rm_claim_snapshots (claim_id, position);
      CREATE TABLE ${s}.rm_timeline (
        claim_id TEXT COLLATE "C" NOT NULL,
        position BIGINT NOT NULL,
        entry    TEXT NOT NULL,
        PRIMARY KEY (claim_id, position)
      );
    `,
  },
  {
    // Decision 0036: a claim's timeline is answered from its events in the log, not stored.
    version: 2,
    sql: (s) => `DROP TABLE ${s}.rm_timeline;`,
  },
];

export const POSTGRES_READ_MODEL_SCHEMA_VERSION = MIGRATIONS.length;

/** Every read-model table, the same names as on SQLite: what a reset empties. */
export const POSTGRES_READ_MODEL_TABLES = READ_MODEL_TABLES;

/** The channel the projector notifies after each commit; the payload is `<schema> <checkpoint>`. */
export const PROJECTED_CHANNEL = 'newsroom_projected';

export { quoteIdentifier };

/**
 * A 64-bit advisory lock key for one purpose on the read models of one schema (advisory locks are
 * per database; stores in other schemas, parallel tests, must not share them).
 */
export function readModelLockKey(purpose: 'migrate' | 'projector', schema: string): string {
  return advisoryLockKey(`read-models/${purpose}/${schema}`);
}

/**
 * The read models' migrations in `schema`, under their own lock and version table. Beside a
 * PostgreSQL log the schema exists already (its store creates it); beside a KurrentDB log it may not.
 */
export function readModelMigrations(schema: string): PostgresMigrationSet {
  return {
    what: 'the read models',
    versionTable: 'read_model_migrations',
    lockKey: readModelLockKey('migrate', schema),
    migrations: MIGRATIONS,
  };
}
