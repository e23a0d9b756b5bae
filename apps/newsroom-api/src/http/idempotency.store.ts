import type { Database, Statement } from 'better-sqlite3';
import { ProblemError } from './problem';

export interface StoredResponse {
  status: number;
  body: unknown;
  etag?: string;
  /** Committed, but the read models could not include it before the answer (never stored). */
  lagging?: boolean;
}

export interface PendingKey {
  keyDigest: string;
  key: string;
  principal: string;
}

export type Reservation = { kind: 'new' } | { kind: 'replay'; response: StoredResponse };

interface Row {
  request_hash: string;
  state: 'pending' | 'complete';
  response: string | null;
}

/**
 * Idempotency keys, scoped to the caller's API key (by digest, never the key). A key is reserved
 * before the command runs and completed with the response it got, success or client error; a
 * server error releases it so the client may retry. Kept in the same SQLite file as everything else.
 */
export class IdempotencyStore {
  private readonly find: Statement;
  private readonly reserve: Statement;
  private readonly finish: Statement;
  private readonly drop: Statement;
  private readonly pendingRows: Statement;

  constructor(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      key_digest TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      principal TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      state TEXT NOT NULL,
      response TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (key_digest, idempotency_key)
    ) WITHOUT ROWID`);
    this.find = db.prepare(
      'SELECT request_hash, state, response FROM idempotency_keys WHERE key_digest = ? AND idempotency_key = ?',
    );
    this.reserve = db.prepare(
      `INSERT INTO idempotency_keys (key_digest, idempotency_key, principal, request_hash, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
    );
    this.finish = db.prepare(
      `UPDATE idempotency_keys SET state = 'complete', response = ? WHERE key_digest = ? AND idempotency_key = ?`,
    );
    this.drop = db.prepare('DELETE FROM idempotency_keys WHERE key_digest = ? AND idempotency_key = ?');
    this.pendingRows = db.prepare(
      `SELECT key_digest, idempotency_key, principal FROM idempotency_keys WHERE state = 'pending'`,
    );
  }

  /** Keys reserved by a process that stopped before it answered (see IdempotencyRecovery). */
  pending(): PendingKey[] {
    return (
      this.pendingRows.all() as { key_digest: string; idempotency_key: string; principal: string }[]
    ).map((r) => ({ keyDigest: r.key_digest, key: r.idempotency_key, principal: r.principal }));
  }

  begin(keyDigest: string, key: string, principal: string, requestHash: string, now: Date): Reservation {
    const row = this.find.get(keyDigest, key) as Row | undefined;
    if (!row) {
      this.reserve.run(keyDigest, key, principal, requestHash, now.toISOString());
      return { kind: 'new' };
    }
    if (row.request_hash !== requestHash) {
      throw new ProblemError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'Idempotency key reused',
        'this Idempotency-Key was used with a different request; use a new key for a new request',
      );
    }
    if (row.state === 'pending' || row.response === null) {
      throw new ProblemError(
        409,
        'IDEMPOTENT_REQUEST_IN_FLIGHT',
        'Request in flight',
        'the first request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    return { kind: 'replay', response: JSON.parse(row.response) as StoredResponse };
  }

  complete(keyDigest: string, key: string, response: StoredResponse): void {
    this.finish.run(JSON.stringify(response), keyDigest, key);
  }

  release(keyDigest: string, key: string): void {
    this.drop.run(keyDigest, key);
  }
}
