/** One source's key as stored: wrapped by a master key, never in the clear. */
export interface SourceKeyRow {
  sourceId: string;
  /** base64url(nonce ‖ ciphertext ‖ tag) of the 32-byte key under the master key. */
  wrappedKey: string;
  /** Which master key wrapped it (a digest, see masterKeyId). */
  masterKeyId: string;
  createdAt: string;
}

/**
 * Where the per-source keys live: outside the event log (a table beside it), so deleting a row
 * destroys an identity without touching a hashed byte. Adapters: SQLite (the embedded file) and
 * PostgreSQL (the log's schema); both pass describeSourceKeyStore.
 */
export interface SourceKeyStore {
  /** Stores the row unless the source already has a key; answers the row that is stored. */
  insertIfAbsent(row: SourceKeyRow): Promise<SourceKeyRow>;
  find(sourceId: string): Promise<SourceKeyRow | undefined>;
  /** Deletes the key for good; false when there was none. */
  delete(sourceId: string): Promise<boolean>;
  /** Up to `limit` rows wrapped by another master key than `masterKeyId` (a rotation's work). */
  wrappedByOtherThan(masterKeyId: string, limit: number): Promise<SourceKeyRow[]>;
  /** Replaces the wrapping only if the row is still wrapped by `fromMasterKeyId`; false otherwise. */
  rewrap(
    sourceId: string,
    fromMasterKeyId: string,
    next: { wrappedKey: string; masterKeyId: string },
  ): Promise<boolean>;
  close(): Promise<void>;
}

export const SOURCE_KEY_STORE = Symbol('SOURCE_KEY_STORE');
