import type { Database, Statement } from 'better-sqlite3';
import { applySqliteMigrations } from '@app/event-store';
import type { SourceKeyRow, SourceKeyStore } from './key-store.port';

/** Versioned and append-only, as the other tables of the file: never edit a shipped step. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE source_keys (
    source_id     TEXT NOT NULL PRIMARY KEY,
    wrapped_key   TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    created_at    TEXT NOT NULL
  ) WITHOUT ROWID`,
];

interface Row {
  source_id: string;
  wrapped_key: string;
  master_key_id: string;
  created_at: string;
}

const toRow = (r: Row): SourceKeyRow => ({
  sourceId: r.source_id,
  wrappedKey: r.wrapped_key,
  masterKeyId: r.master_key_id,
  createdAt: r.created_at,
});

/**
 * The keys in the embedded SQLite file, beside the log. A deleted key is overwritten, not just
 * unlinked (`secure_delete` around the delete), and the WAL is checkpointed, so the wrapped key's
 * bytes do not linger in a free page or the write-ahead log of the file.
 */
export class SqliteSourceKeyStore implements SourceKeyStore {
  private readonly insert: Statement;
  private readonly select: Statement;
  private readonly remove: Statement;
  private readonly others: Statement;
  private readonly update: Statement;

  constructor(private readonly db: Database) {
    migrate(db);
    this.insert = db.prepare(
      'INSERT INTO source_keys (source_id, wrapped_key, master_key_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING',
    );
    this.select = db.prepare('SELECT * FROM source_keys WHERE source_id = ?');
    this.remove = db.prepare('DELETE FROM source_keys WHERE source_id = ?');
    this.others = db.prepare('SELECT * FROM source_keys WHERE master_key_id <> ? ORDER BY source_id LIMIT ?');
    this.update = db.prepare(
      'UPDATE source_keys SET wrapped_key = ?, master_key_id = ? WHERE source_id = ? AND master_key_id = ?',
    );
  }

  insertIfAbsent(row: SourceKeyRow): Promise<SourceKeyRow> {
    this.insert.run(row.sourceId, row.wrappedKey, row.masterKeyId, row.createdAt);
    return Promise.resolve(toRow(this.select.get(row.sourceId) as Row));
  }

  find(sourceId: string): Promise<SourceKeyRow | undefined> {
    const row = this.select.get(sourceId) as Row | undefined;
    return Promise.resolve(row && toRow(row));
  }

  delete(sourceId: string): Promise<boolean> {
    const before = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    try {
      const deleted = this.remove.run(sourceId).changes === 1;
      if (deleted && this.db.pragma('journal_mode', { simple: true }) === 'wal') {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
      return Promise.resolve(deleted);
    } finally {
      this.db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
    }
  }

  wrappedByOtherThan(masterKeyId: string, limit: number): Promise<SourceKeyRow[]> {
    return Promise.resolve((this.others.all(masterKeyId, limit) as Row[]).map(toRow));
  }

  rewrap(
    sourceId: string,
    fromMasterKeyId: string,
    next: { wrappedKey: string; masterKeyId: string },
  ): Promise<boolean> {
    const result = this.update.run(next.wrappedKey, next.masterKeyId, sourceId, fromMasterKeyId);
    return Promise.resolve(result.changes === 1);
  }

  /** The file belongs to the persistence module, which closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function migrate(db: Database): void {
  applySqliteMigrations(db, {
    table: 'source_key_migrations',
    what: 'the source key table',
    migrations: MIGRATIONS,
  });
}
