import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { applySqliteMigrations } from '@app/event-store';
import type {
  IdempotencyRecord,
  IdempotencyStore,
  NewReservation,
  ReserveOutcome,
  StoredResponse,
} from './idempotency.port';

/**
 * Versioned and append-only, as the other tables: never edit a shipped step, add the next one.
 * Version 1 is the table as earlier releases created it (without a version table); version 2
 * adds the reservation token and the reserving process.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
    key_digest TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    principal TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    response TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (key_digest, idempotency_key)
  ) WITHOUT ROWID`,
  `ALTER TABLE idempotency_keys ADD COLUMN token TEXT NOT NULL DEFAULT '';
   ALTER TABLE idempotency_keys ADD COLUMN owner TEXT NOT NULL DEFAULT ''`,
];

export interface SqliteRow {
  key_digest: string;
  idempotency_key: string;
  principal: string;
  request_hash: string;
  state: 'pending' | 'complete';
  response: string | null;
  created_at: string;
  token: string;
  owner: string;
}

/**
 * The embedded store: the same SQLite file as everything else. One process owns the file, so a key
 * left pending by another owner belongs to a process that stopped (a crash, a restart). better-
 * sqlite3 is synchronous: each method is one statement, atomic by itself.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  /** This process; written into each reservation it makes. */
  private readonly owner = randomUUID();
  private readonly find: Statement;
  private readonly insert: Statement;
  private readonly finish: Statement;
  private readonly drop: Statement;
  private readonly pendingRows: Statement;

  constructor(db: Database) {
    migrate(db);
    this.find = db.prepare('SELECT * FROM idempotency_keys WHERE key_digest = ? AND idempotency_key = ?');
    this.insert = db.prepare(
      `INSERT INTO idempotency_keys (key_digest, idempotency_key, principal, request_hash, state, created_at, token, owner)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.finish = db.prepare(
      `UPDATE idempotency_keys SET state = 'complete', response = ?
       WHERE key_digest = ? AND idempotency_key = ? AND token = ? AND state = 'pending'`,
    );
    this.drop = db.prepare(
      `DELETE FROM idempotency_keys WHERE key_digest = ? AND idempotency_key = ? AND token = ? AND state = 'pending'`,
    );
    this.pendingRows = db.prepare(`SELECT * FROM idempotency_keys WHERE state = 'pending' AND owner <> ?`);
  }

  reserve(entry: NewReservation): Promise<ReserveOutcome> {
    return Promise.resolve(this.reserveNow(entry));
  }

  complete(keyDigest: string, key: string, token: string, response: StoredResponse): Promise<boolean> {
    return Promise.resolve(this.completeNow(keyDigest, key, token, response));
  }

  release(keyDigest: string, key: string, token: string): Promise<boolean> {
    return Promise.resolve(this.releaseNow(keyDigest, key, token));
  }

  abandoned(): Promise<IdempotencyRecord[]> {
    return Promise.resolve(this.abandonedNow());
  }

  /*
   * The same methods, answered synchronously: the SQLite writer thread runs the keys of one turn in
   * one transaction (persistence/sqlite-writer/idempotency-writes.ts), which a Promise cannot join.
   */

  reserveNow(entry: NewReservation): ReserveOutcome {
    const token = randomUUID();
    const inserted = this.insert.run(
      entry.keyDigest,
      entry.key,
      entry.principal,
      entry.fingerprint,
      entry.reservedAt,
      token,
      this.owner,
    );
    if (inserted.changes === 1) return { kind: 'reserved', token };
    const row = this.find.get(entry.keyDigest, entry.key) as SqliteRow;
    return { kind: 'exists', record: this.toRecord(row) };
  }

  completeNow(keyDigest: string, key: string, token: string, response: StoredResponse): boolean {
    const { lagging: _lagging, ...kept } = response;
    return this.finish.run(JSON.stringify(kept), keyDigest, key, token).changes === 1;
  }

  releaseNow(keyDigest: string, key: string, token: string): boolean {
    return this.drop.run(keyDigest, key, token).changes === 1;
  }

  abandonedNow(): IdempotencyRecord[] {
    return (this.pendingRows.all(this.owner) as SqliteRow[]).map((r) => this.toRecord(r));
  }

  close(): Promise<void> {
    // The file is the persistence module's to close.
    return Promise.resolve();
  }

  private toRecord(row: SqliteRow): IdempotencyRecord {
    return {
      keyDigest: row.key_digest,
      key: row.idempotency_key,
      principal: row.principal,
      fingerprint: row.request_hash,
      state: row.state,
      token: row.token,
      ...(row.response === null ? {} : { response: JSON.parse(row.response) as StoredResponse }),
      reservedAt: row.created_at,
      abandoned: row.state === 'pending' && row.owner !== this.owner,
    };
  }
}

function migrate(db: Database): void {
  applySqliteMigrations(db, {
    table: 'idempotency_migrations',
    what: 'the idempotency table',
    migrations: MIGRATIONS,
  });
}
