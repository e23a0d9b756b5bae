import { randomUUID } from 'node:crypto';
import type { Database } from './sqlite-database';

/**
 * The event store's own migrations. Its version table is `event_store_migrations`, not a shared
 * `schema_migrations`, because the read models live in the same file and migrate on their own.
 * Append-only: never edit a shipped migration, add the next version.
 */
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        position       INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id       TEXT    NOT NULL UNIQUE,
        stream_id      TEXT    NOT NULL,
        stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        hash           TEXT    NOT NULL,
        prev_hash      TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      CREATE INDEX events_recorded_at ON events (recorded_at);
      CREATE TABLE streams (
        stream_id TEXT    PRIMARY KEY,
        version   INTEGER NOT NULL,
        last_hash TEXT    NOT NULL
      ) WITHOUT ROWID;
      -- The log is evidence: rewriting it would break the hash chain silently until audited.
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    `,
  },
  {
    // The log's identity (see LogIdentity): one row, its id written by migrateEventStore.
    version: 2,
    sql: `
      CREATE TABLE log_identity (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        log_id     TEXT    NOT NULL,
        created_at TEXT    NOT NULL
      );
    `,
  },
  {
    // Decision 0028: fewer B-trees written per appended event. A stream's tip is its last row,
    // found through the UNIQUE (stream_id, stream_version) index that reads already need, so the
    // `streams` row rewritten per stream per commit goes. `positionAt` searches positions instead
    // of a `recorded_at` index (recorded_at never decreases with position: nextRecordedAt,
    // checkImport), so that index, one more insert per event, goes too.
    version: 3,
    sql: `
      DROP TABLE streams;
      DROP INDEX events_recorded_at;
    `,
  },
];

export const EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies the missing migrations in one immediate transaction; safe to call on every start.
 * `upTo` is for tests that make a file as an older version of this code left it.
 */
export function migrateEventStore(db: Database, upTo = EVENT_STORE_SCHEMA_VERSION): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS event_store_migrations (
      version    INTEGER PRIMARY KEY,
      applied_at TEXT    NOT NULL
    )`);
    const current = currentVersion(db);
    if (current > EVENT_STORE_SCHEMA_VERSION) {
      throw new Error(
        `the event store schema is at version ${current}, newer than this code (${EVENT_STORE_SCHEMA_VERSION})`,
      );
    }
    const record = db.prepare<[number, string]>('INSERT INTO event_store_migrations VALUES (?, ?)');
    for (const migration of MIGRATIONS.filter((m) => m.version > current && m.version <= upTo)) {
      db.exec(migration.sql);
      record.run(migration.version, new Date().toISOString());
    }
    db.prepare('INSERT OR IGNORE INTO log_identity (singleton, log_id, created_at) VALUES (1, ?, ?)').run(
      randomUUID(),
      new Date().toISOString(),
    );
  }).immediate();
}

function currentVersion(db: Database): number {
  const row = db
    .prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM event_store_migrations')
    .get();
  return row?.version ?? 0;
}
