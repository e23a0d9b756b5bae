import type { Database } from 'better-sqlite3';

/**
 * The read models live in the same SQLite file as the events, so a batch of projected events and
 * the checkpoint that says so commit in one transaction: a crash never leaves them half-applied.
 * Everything here is derived, so `rebuild` may drop and recreate it at will.
 */
/**
 * Bump whenever what the projection writes changes (projectEvent, deriveClaimView, the record or
 * view shapes, these tables): read models built by another version are dropped and rebuilt from
 * the log at start.
 */
export const PROJECTION_VERSION = '10';

/** The checkpoint row of the newsroom projection. */
export const NEWSROOM_CHECKPOINT = 'newsroom';

const TABLES = `
CREATE TABLE IF NOT EXISTS rm_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_sources (
  source_id TEXT PRIMARY KEY,
  affiliation_id TEXT,
  kind TEXT NOT NULL,
  search_key TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_sources_affiliation ON rm_sources(affiliation_id);
CREATE TABLE IF NOT EXISTS rm_claims (
  claim_id TEXT PRIMARY KEY,
  story_id TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_position INTEGER NOT NULL,
  stream_version INTEGER NOT NULL,
  record TEXT NOT NULL,
  view TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_claims_opened ON rm_claims(opened_position);
CREATE INDEX IF NOT EXISTS rm_claims_story ON rm_claims(story_id, opened_position);
CREATE INDEX IF NOT EXISTS rm_claims_status ON rm_claims(status, opened_position);
CREATE TABLE IF NOT EXISTS rm_claim_sources (
  source_id TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  PRIMARY KEY (source_id, claim_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rm_claim_sources_claim ON rm_claim_sources(claim_id);
-- One row per statement, with its whole history (record, without "current" when it equals
-- "original": sqlite-statement-rows.ts) and the columns its filters need: stated_at_ms is the
-- current statedAt.at in ms (NULL when it does not parse). A source's statements across claims
-- are found through rm_claim_sources, so no index by source_id alone.
CREATE TABLE IF NOT EXISTS rm_statements (
  claim_id TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  reported_position INTEGER NOT NULL,
  stance TEXT NOT NULL,
  stated_at_ms INTEGER,
  retracted INTEGER NOT NULL,
  record TEXT NOT NULL
);
-- A rowid table, so a new row is appended at its end (packed pages, no split in the middle of a
-- claim's rows); the key is a unique index of small entries.
CREATE UNIQUE INDEX IF NOT EXISTS rm_statements_key ON rm_statements(claim_id, statement_id);
-- A claim's rows in report order, with the source and the retraction beside each entry: the one
-- index for every read of a claim's history, whole or by source (decision 0042). A read by source
-- walks the claim's entries and skips other sources' in the index, fetching only its own rows; a
-- second index by (claim, source) cost a random B-tree page (and its splits) on every statement.
CREATE INDEX IF NOT EXISTS rm_statements_order
  ON rm_statements(claim_id, reported_position, source_id, retracted);
-- A claim's incremental state every SNAPSHOT_EVERY events: where cut reads start folding.
CREATE TABLE IF NOT EXISTS rm_claim_snapshots (
  claim_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (claim_id, stream_version)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rm_claim_snapshots_position ON rm_claim_snapshots(claim_id, position);
`;

export const READ_MODEL_TABLES = [
  'rm_meta',
  'rm_checkpoints',
  'rm_sources',
  'rm_claims',
  'rm_claim_sources',
  'rm_statements',
  'rm_claim_snapshots',
];

/**
 * Indexes that only the queries read through, never the projection (its lookups go by primary
 * key, `rm_statements_key`, `rm_statements_order`, `rm_claim_sources`' key and
 * `rm_sources_affiliation`). A build from an empty checkpoint loads the tables without them and
 * creates them at its end (`migrateReadModels`): one sort per index instead of an entry per row.
 */
export const DEFERRED_INDEXES = [
  'rm_claims_opened',
  'rm_claims_story',
  'rm_claims_status',
  'rm_claim_sources_claim',
  'rm_claim_snapshots_position',
];

/**
 * Tables earlier projection code wrote and this code does not: dropped with the read models
 * (`dropReadModels`), so a file built by them loses them when it is rebuilt. `rm_timeline` held an
 * entry per claim event until PROJECTION_VERSION 10 (decision 0036: the timeline is read from the
 * log).
 */
const RETIRED_TABLES = ['rm_timeline'];

/**
 * Indexes earlier code kept and this code does not, dropped when the read models are opened: the
 * rows are the same, so no rebuild is needed, only the index swap (decision 0042: the claim's
 * report order and its by-source reads share `rm_statements_order`).
 */
const RETIRED_INDEXES = ['rm_statements_reported', 'rm_statements_claim_source'];

/** The built-by mark while a load runs without its deferred indexes: never current, so a crash rebuilds. */
export const LOADING_VERSION = `${PROJECTION_VERSION} (loading)`;

export function dropDeferredIndexes(db: Database): void {
  for (const index of DEFERRED_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index}`);
}

export function migrateReadModels(db: Database): void {
  for (const index of RETIRED_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index}`);
  db.exec(TABLES);
}

/**
 * Read models written by other projection code may not even have today's columns: drop them before
 * anything is prepared against them. The runner then finds an empty checkpoint and replays the log.
 */
export function dropStaleReadModels(db: Database): boolean {
  const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rm_meta'`).get();
  const builtBy = hasMeta
    ? (db.prepare(`SELECT value FROM rm_meta WHERE key = 'projection_version'`).get() as
        { value: string } | undefined)
    : undefined;
  const hasCheckpoint = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rm_checkpoints'`)
    .get();
  // A load of this version under way (or cut short by a crash) has today's tables: the runner's
  // ensureCurrent rebuilds it, and another connection opening meanwhile must not drop it.
  if (!hasCheckpoint || builtBy?.value === PROJECTION_VERSION || builtBy?.value === LOADING_VERSION)
    return false;
  db.transaction(() => dropReadModels(db))();
  return true;
}

export function dropReadModels(db: Database): void {
  for (const table of [...READ_MODEL_TABLES, ...RETIRED_TABLES]) db.exec(`DROP TABLE IF EXISTS ${table}`);
}
