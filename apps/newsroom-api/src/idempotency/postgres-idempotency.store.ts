import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { migratePostgres, quoteIdentifier } from '@app/event-store';
import type {
  IdempotencyRecord,
  IdempotencyStore,
  NewReservation,
  ReserveOutcome,
  StoredResponse,
} from './idempotency.port';
import { advisoryKey, idempotencyMigrations } from './postgres-idempotency.schema';

interface Row {
  key_digest: string;
  idempotency_key: string;
  principal: string;
  fingerprint: string;
  state: 'pending' | 'complete';
  token: string;
  owner: string;
  response: string | null;
  reserved_at: string;
}

export interface PostgresIdempotencyStoreOptions {
  /** End the pool on close (the store opened it). */
  ownsPool?: boolean;
  /** The session holding this process's liveness lock failed; it is taken again on the next call. */
  onLockLost?: (error: Error) => void;
}

/**
 * Idempotency keys shared by every replica, in the schema that holds the log.
 *
 * - Reserving is one `INSERT … ON CONFLICT DO NOTHING`: of two replicas racing on one key exactly
 *   one inserts; the other reads the winner's row (409 while pending, the replay once complete).
 * - Completing and releasing name the reservation's token, so they change nothing once another
 *   process has resolved or re-reserved the key.
 * - Whether the reserving process still lives is a session-level advisory lock it holds on a
 *   connection of its own for as long as it runs (keyed by its random owner id). PostgreSQL drops
 *   it when that session ends — a crash, a kill, a lost network — and then the key is `abandoned`:
 *   the log says whether its command committed (IdempotencyRecovery).
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly owner = randomUUID();
  private readonly table: string;
  private lock: PoolClient | undefined;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly options: PostgresIdempotencyStoreOptions,
  ) {
    this.table = `${quoteIdentifier(schema)}.idempotency_keys`;
  }

  /** Migrates the schema (under an advisory lock) and takes this process's liveness lock. */
  static async open(
    pool: Pool,
    schema: string,
    options: PostgresIdempotencyStoreOptions = {},
  ): Promise<PostgresIdempotencyStore> {
    const store = new PostgresIdempotencyStore(pool, schema, options);
    try {
      await migratePostgres(pool, schema, idempotencyMigrations(schema));
      await store.holdOwnerLock();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async reserve(entry: NewReservation): Promise<ReserveOutcome> {
    await this.holdOwnerLock();
    const token = randomUUID();
    // A row released between our INSERT and SELECT is gone: try again (bounded, it is a race).
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const inserted = await this.pool.query(
        `INSERT INTO ${this.table}
           (key_digest, idempotency_key, principal, fingerprint, state, token, owner, response, reserved_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, NULL, $7)
         ON CONFLICT (key_digest, idempotency_key) DO NOTHING`,
        [entry.keyDigest, entry.key, entry.principal, entry.fingerprint, token, this.owner, entry.reservedAt],
      );
      if (inserted.rowCount === 1) return { kind: 'reserved', token };
      const { rows } = await this.pool.query<Row>(
        `SELECT * FROM ${this.table} WHERE key_digest = $1 AND idempotency_key = $2`,
        [entry.keyDigest, entry.key],
      );
      const row = rows[0];
      if (row !== undefined) return { kind: 'exists', record: await this.toRecord(row) };
    }
    throw new Error('idempotency key kept being released while reserving it');
  }

  async complete(keyDigest: string, key: string, token: string, response: StoredResponse): Promise<boolean> {
    const { lagging: _lagging, ...kept } = response;
    const result = await this.pool.query(
      `UPDATE ${this.table} SET state = 'complete', response = $4
       WHERE key_digest = $1 AND idempotency_key = $2 AND token = $3 AND state = 'pending'`,
      [keyDigest, key, token, JSON.stringify(kept)],
    );
    return result.rowCount === 1;
  }

  async release(keyDigest: string, key: string, token: string): Promise<boolean> {
    const result = await this.pool.query(
      `DELETE FROM ${this.table}
       WHERE key_digest = $1 AND idempotency_key = $2 AND token = $3 AND state = 'pending'`,
      [keyDigest, key, token],
    );
    return result.rowCount === 1;
  }

  async abandoned(): Promise<IdempotencyRecord[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.table} WHERE state = 'pending' AND owner <> $1`,
      [this.owner],
    );
    const dead = new Map<string, boolean>();
    for (const owner of new Set(rows.map((r) => r.owner))) dead.set(owner, !(await this.alive(owner)));
    return rows.filter((r) => dead.get(r.owner)).map((r) => toRecord(r, true));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ending the session drops the liveness lock: our pending keys become others' to resolve.
    this.lock?.release(true);
    this.lock = undefined;
    if (this.options.ownsPool) await this.pool.end();
  }

  private async toRecord(row: Row): Promise<IdempotencyRecord> {
    const abandoned = row.state === 'pending' && row.owner !== this.owner && !(await this.alive(row.owner));
    return toRecord(row, abandoned);
  }

  /**
   * Whether `owner`'s liveness lock is held. Taking it succeeds only if its session is gone; we
   * give it back at once (an owner id is never reused, so nobody else will ask for it).
   */
  private async alive(owner: string): Promise<boolean> {
    if (owner === this.owner) return true;
    const client = await this.pool.connect();
    try {
      const key = ownerLockKey(owner);
      const { rows } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS got',
        [key],
      );
      if (rows[0]?.got !== true) return true;
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      return false;
    } finally {
      client.release();
    }
  }

  private async holdOwnerLock(): Promise<void> {
    if (this.lock !== undefined || this.closed) return;
    const client = await this.pool.connect();
    client.on('error', (error: Error) => {
      // The session, and the lock with it, is gone: drop the broken client and lock again later.
      if (this.lock !== client) return;
      this.lock = undefined;
      client.release(true);
      this.options.onLockLost?.(error);
    });
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [ownerLockKey(this.owner)]);
    } catch (error) {
      client.release(true);
      throw error;
    }
    this.lock = client;
  }
}

const ownerLockKey = (owner: string): string => advisoryKey(`owner/${owner}`);

function toRecord(row: Row, abandoned: boolean): IdempotencyRecord {
  return {
    keyDigest: row.key_digest,
    key: row.idempotency_key,
    principal: row.principal,
    fingerprint: row.fingerprint,
    state: row.state,
    token: row.token,
    ...(row.response === null ? {} : { response: JSON.parse(row.response) as StoredResponse }),
    reservedAt: row.reserved_at,
    abandoned,
  };
}
