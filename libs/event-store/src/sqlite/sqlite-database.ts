import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
export type Statement<P extends unknown[], R> = BetterSqlite3.Statement<P, R>;
export type Transaction<F extends (...args: never[]) => unknown> = BetterSqlite3.Transaction<F>;

export interface SqliteDatabaseOptions {
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens the one SQLite file that the event store and the read models share (one connection, so a
 * projector can update its checkpoint and its tables in one transaction).
 *
 * - WAL: readers never block the writer, and the writer never blocks readers.
 * - synchronous = FULL: in WAL mode NORMAL may lose the last commits on power loss; an append we
 *   have acknowledged to a reporter must survive it.
 * - busy_timeout: a second process (a CLI, a backup) waits instead of failing at once.
 * - foreign_keys: off by default in SQLite; read models may rely on them.
 */
export function openSqliteDatabase(path: string, options: SqliteDatabaseOptions = {}): Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!isInMemory(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  try {
    applyPragmas(db, path, busyTimeoutMs);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function applyPragmas(db: Database, path: string, busyTimeoutMs: number): void {
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  // An in-memory (or '' temporary) database cannot use WAL; a file that refuses WAL
  // (e.g. on a network filesystem) must not silently run with weaker guarantees.
  if (!isInMemory(path) && journal !== 'wal') {
    throw new Error(`SQLite at ${path} refused WAL journal mode (got ${String(journal)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  db.pragma('foreign_keys = ON');
}

function isInMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}
