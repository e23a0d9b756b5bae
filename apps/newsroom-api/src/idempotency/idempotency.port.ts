/**
 * Where Idempotency-Key reservations and their answers live: the embedded SQLite file, or the
 * PostgreSQL schema that holds the log (so every replica sees every key). The policy (422 for a
 * reused key, 409 while in flight, replay once complete) is the caller's; a store only keeps rows
 * and makes each change atomic. Keys are scoped to the API key by its SHA-256 digest, never the key.
 */

export interface StoredResponse {
  status: number;
  body: unknown;
  etag?: string;
  /** Committed, but the read models could not include it before the answer (never stored). */
  lagging?: boolean;
}

/** What a new reservation records. */
export interface NewReservation {
  /** SHA-256 (hex) of the caller's API key: the scope. */
  keyDigest: string;
  /** The Idempotency-Key header. */
  key: string;
  /** The principal's name, for operators reading the table (never used to match). */
  principal: string;
  /** See requestFingerprint. */
  fingerprint: string;
  /** ISO 8601. */
  reservedAt: string;
}

export interface IdempotencyRecord {
  keyDigest: string;
  key: string;
  principal: string;
  fingerprint: string;
  state: 'pending' | 'complete';
  /**
   * A fresh random value per reservation: completing, releasing or taking over a pending key names
   * it, so a process can never finish a reservation that is no longer its own. Empty for a key
   * reserved before tokens existed.
   */
  token: string;
  /** The answer, once complete. */
  response?: StoredResponse;
  reservedAt: string;
  /**
   * Pending, and the process that reserved it has stopped: no answer will come from it. Whether its
   * command committed is for the log to say (IdempotencyRecovery).
   */
  abandoned: boolean;
}

export type ReserveOutcome =
  { kind: 'reserved'; token: string } | { kind: 'exists'; record: IdempotencyRecord };

export interface IdempotencyStore {
  /** Reserves the key for this request atomically, or returns the row already there. */
  reserve(entry: NewReservation): Promise<ReserveOutcome>;
  /** Records the answer of a pending reservation; false if `token` no longer holds it. */
  complete(keyDigest: string, key: string, token: string, response: StoredResponse): Promise<boolean>;
  /** Forgets a pending reservation (the request may run again); false if `token` no longer holds it. */
  release(keyDigest: string, key: string, token: string): Promise<boolean>;
  /** Pending keys whose reserving process has stopped (see IdempotencyRecord.abandoned). */
  abandoned(): Promise<IdempotencyRecord[]>;
  close(): Promise<void>;
}
