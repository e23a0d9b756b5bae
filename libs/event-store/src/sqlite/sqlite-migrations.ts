import type { Database } from './sqlite-database';

export interface SqliteMigrationSet {
  /** The version table of this component (each component of the file migrates on its own). */
  table: string;
  /** What the tables are, for the error when the file is newer than the code. */
  what: string;
  /** In order; migration i + 1 is `migrations[i]`. Never edit one that shipped: add the next. */
  migrations: readonly string[];
}

/**
 * Applies a component's pending migrations in one transaction, recording each in its own version
 * table, and refuses a file migrated by newer code. The SQLite twin of applyPostgresMigrations.
 */
export function applySqliteMigrations(db: Database, { table, what, migrations }: SqliteMigrationSet): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      version INTEGER PRIMARY KEY,
      applied_at TEXT NOT NULL
    )`);
    const { version } = db.prepare(`SELECT MAX(version) AS version FROM ${table}`).get() as {
      version: number | null;
    };
    const current = version ?? 0;
    if (current > migrations.length) {
      throw new Error(`${what} is at version ${current}, newer than this code (${migrations.length})`);
    }
    const record = db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`);
    migrations.slice(current).forEach((sql, index) => {
      db.exec(sql);
      record.run(current + index + 1, new Date().toISOString());
    });
  })();
}
