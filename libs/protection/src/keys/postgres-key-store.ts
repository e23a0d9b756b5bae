import type { Pool } from 'pg';
import {
  advisoryLockKey,
  migratePostgres,
  type PostgresMigration,
  type PostgresMigrationSet,
  quoteIdentifier,
} from '@app/event-store';
import type { SourceKeyRow, SourceKeyStore } from './key-store.port';

/** Append-only, with its own version table beside the log's, read models' and idempotency keys'. */
const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.source_keys (
        source_id     TEXT NOT NULL PRIMARY KEY,
        wrapped_key   TEXT NOT NULL,
        master_key_id TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
    `,
  },
];

export function sourceKeyMigrations(schema: string): PostgresMigrationSet {
  return {
    what: 'the source keys',
    versionTable: 'source_key_migrations',
    lockKey: advisoryLockKey(`source-keys/migrate/${schema}`),
    migrations: MIGRATIONS,
  };
}

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
 * The keys in the log's PostgreSQL schema, shared by every replica. A delete leaves a dead tuple
 * until VACUUM reclaims it, so the delete is followed by a VACUUM of this small table (best
 * effort: docs/security.md says what remains otherwise, and why a wrapped key alone is useless).
 */
export class PostgresSourceKeyStore implements SourceKeyStore {
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly ownsPool: boolean,
  ) {
    this.table = `${quoteIdentifier(schema)}.source_keys`;
  }

  static async open(
    pool: Pool,
    schema: string,
    options: { ownsPool?: boolean } = {},
  ): Promise<PostgresSourceKeyStore> {
    await migratePostgres(pool, schema, sourceKeyMigrations(schema));
    return new PostgresSourceKeyStore(pool, schema, options.ownsPool ?? false);
  }

  async insertIfAbsent(row: SourceKeyRow): Promise<SourceKeyRow> {
    await this.pool.query(
      `INSERT INTO ${this.table} (source_id, wrapped_key, master_key_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source_id) DO NOTHING`,
      [row.sourceId, row.wrappedKey, row.masterKeyId, row.createdAt],
    );
    const stored = await this.find(row.sourceId);
    if (!stored) throw new Error(`the key of source ${row.sourceId} was deleted while it was created`);
    return stored;
  }

  async find(sourceId: string): Promise<SourceKeyRow | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${this.table} WHERE source_id = $1`, [
      sourceId,
    ]);
    return rows[0] && toRow(rows[0]);
  }

  async delete(sourceId: string): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.table} WHERE source_id = $1`, [sourceId]);
    if (result.rowCount === 1) {
      // Outside a transaction by construction (a pool query); a failure leaves the dead tuple to autovacuum.
      await this.pool.query(`VACUUM ${this.table}`).catch(() => undefined);
    }
    return result.rowCount === 1;
  }

  async wrappedByOtherThan(masterKeyId: string, limit: number): Promise<SourceKeyRow[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.table} WHERE master_key_id <> $1 ORDER BY source_id LIMIT $2`,
      [masterKeyId, limit],
    );
    return rows.map(toRow);
  }

  async rewrap(
    sourceId: string,
    fromMasterKeyId: string,
    next: { wrappedKey: string; masterKeyId: string },
  ): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.table} SET wrapped_key = $1, master_key_id = $2 WHERE source_id = $3 AND master_key_id = $4`,
      [next.wrappedKey, next.masterKeyId, sourceId, fromMasterKeyId],
    );
    return result.rowCount === 1;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
