/**
 * A stream id's key hash: FNV-1a over its UTF-16 code units. Verify's hashing threads compute it
 * for each row they pack (decision 0040), so the main thread finds a stream's slot without hashing
 * the id itself; everywhere else (rows read as texts or parsed) the verifier computes it here.
 * Only a bucket: a slot is found by this hash and then the id itself, so a collision (even a
 * contrived one) costs a comparison, never a wrong answer.
 */
export function streamKeyHash(streamId: string): number {
  let hash: number = FNV_OFFSET;
  for (let i = 0; i < streamId.length; i += 1) hash = Math.imul(hash ^ streamId.charCodeAt(i), FNV_PRIME);
  return hash | 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** FNV-1a's constants, for a reader that hashes an ASCII id from its bytes (the same code units). */
export const STREAM_KEY_FNV = { offset: FNV_OFFSET, prime: FNV_PRIME } as const;

const INITIAL_BUCKETS = 2048;

/**
 * Stream id to slot (0, 1, 2… in the order streams were added): an open-addressing table of
 * typed arrays probed by `streamKeyHash`, instead of a Map, whose look-up hashes every id again
 * (each id arrives as a new string from a hashing thread) and whose growth rehashes 450k entries.
 * A slot is confirmed by comparing the id itself.
 */
export class StreamSlots {
  private ids: string[] = [];
  private hashes = new Int32Array(INITIAL_BUCKETS / 2);
  /** slot + 1 per bucket, 0 for an empty one; at most half full. */
  private buckets = new Int32Array(INITIAL_BUCKETS);
  private mask = INITIAL_BUCKETS - 1;

  get size(): number {
    return this.ids.length;
  }

  /** The slot of `streamId`, whose key hash is `hash`; -1 if it has none. */
  find(streamId: string, hash: number): number {
    const buckets = this.buckets;
    const mask = this.mask;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = buckets[at] as number;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.hashes[slot] === hash && this.ids[slot] === streamId) return slot;
    }
  }

  /** Adds a stream not in the table yet; returns its slot. */
  add(streamId: string, hash: number): number {
    const slot = this.ids.length;
    if ((slot + 1) * 2 > this.buckets.length) this.grow();
    if (slot === this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.ids.push(streamId);
    this.hashes[slot] = hash;
    this.place(slot, hash);
    return slot;
  }

  private place(slot: number, hash: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let at = hash & mask;
    while (buckets[at] !== 0) at = (at + 1) & mask;
    buckets[at] = slot + 1;
  }

  private grow(): void {
    this.buckets = new Int32Array(this.buckets.length * 2);
    this.mask = this.buckets.length - 1;
    for (let slot = 0; slot < this.ids.length; slot += 1) this.place(slot, this.hashes[slot] as number);
  }
}
