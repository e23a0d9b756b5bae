import { newDataKey } from '../cipher/field-cipher';
import { ProtectionError } from '../errors';
import type { SourceKeyStore } from './key-store.port';
import type { MasterKeyRing } from './master-key-ring';

/** How many rows a rotation re-wraps per round trip. */
const ROTATION_BATCH = 200;

/**
 * The per-source keys: created wrapped by the current master key, unwrapped only in memory for
 * the moment a field is sealed or opened (never cached, so a shredded key cannot outlive its row
 * in another replica's memory), deleted for good when a source is shredded.
 */
export class SourceKeys {
  constructor(
    private readonly store: SourceKeyStore,
    /** Undefined when no master key is configured: protected sources cannot be written or read. */
    private readonly ring: MasterKeyRing | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get configured(): boolean {
    return this.ring !== undefined;
  }

  /** The source's key, created on first use (a registration retried after a failure reuses it). */
  async createOrGet(sourceId: string): Promise<Buffer> {
    const ring = this.requireRing();
    const existing = await this.store.find(sourceId);
    if (existing) return ring.unwrap(sourceId, existing.wrappedKey, existing.masterKeyId);
    const key = newDataKey();
    const stored = await this.store.insertIfAbsent({
      sourceId,
      ...ring.wrap(sourceId, key),
      createdAt: this.now().toISOString(),
    });
    return ring.unwrap(sourceId, stored.wrappedKey, stored.masterKeyId);
  }

  /** The key, or undefined once it is shredded (or never existed). */
  async get(sourceId: string): Promise<Buffer | undefined> {
    const ring = this.requireRing();
    const row = await this.store.find(sourceId);
    return row && ring.unwrap(sourceId, row.wrappedKey, row.masterKeyId);
  }

  /** Deletes the key; idempotent (a retried shredding finds none). Needs no master key. */
  shred(sourceId: string): Promise<boolean> {
    return this.store.delete(sourceId);
  }

  /**
   * Re-wraps every key not wrapped by the current master key with it; the log is not touched (it
   * holds only what the source keys sealed). Safe to run on several replicas at once: each row
   * moves only from the wrapping it was read with.
   */
  async rotate(): Promise<{ rewrapped: number; masterKeyId: string }> {
    const ring = this.requireRing();
    let rewrapped = 0;
    for (;;) {
      const rows = await this.store.wrappedByOtherThan(ring.currentId, ROTATION_BATCH);
      if (rows.length === 0) return { rewrapped, masterKeyId: ring.currentId };
      for (const row of rows) {
        const key = ring.unwrap(row.sourceId, row.wrappedKey, row.masterKeyId);
        if (await this.store.rewrap(row.sourceId, row.masterKeyId, ring.wrap(row.sourceId, key)))
          rewrapped += 1;
      }
    }
  }

  private requireRing(): MasterKeyRing {
    if (!this.ring) {
      throw new ProtectionError(
        'PROTECTION_NOT_CONFIGURED',
        'protected sources need a master key: set NEWSROOM_MASTER_KEY or NEWSROOM_MASTER_KEY_FILE',
      );
    }
    return this.ring;
  }
}
export const SOURCE_KEYS = Symbol('SOURCE_KEYS');
