const HASH_BYTES = 32;
const HASH_HEX = 64;
const INITIAL_CAPACITY = 1024;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_A = 0x61;
const LOWER_F = 0x66;

/**
 * The tip of every stream seen (version, hash, previous hash, position): the verifier's only state
 * that grows, O(streams). Kept as columns — a map from stream id to a slot, typed arrays, and the
 * hashes as 32 raw bytes in two growing buffers — rather than an object and two 64-character strings
 * per stream, which is what made a million-event log with 446k streams cost most of its memory.
 *
 * Comparisons must mean what string equality meant: a hash is stored as bytes only when it is 64
 * lowercase hex digits (every hash a store writes); any other text (only an edited log has one) is
 * kept verbatim on the side and compared as text.
 */
export class StreamTips {
  private readonly slots = new Map<string, number>();
  private capacity = INITIAL_CAPACITY;
  private versions = new Float64Array(INITIAL_CAPACITY);
  private positions = new BigInt64Array(INITIAL_CAPACITY);
  private hashes: Buffer = Buffer.alloc(INITIAL_CAPACITY * HASH_BYTES);
  private prevHashes: Buffer = Buffer.alloc(INITIAL_CAPACITY * HASH_BYTES);
  /**
   * Hash texts that are not lowercase hex, by `slot * 2 + (0 hash | 1 previous hash)`. Typed
   * `unknown`: an edited column may hold anything, and must still compare as it did.
   */
  private readonly oddTexts = new Map<number, unknown>();
  private readonly scratch = Buffer.alloc(HASH_BYTES);

  get size(): number {
    return this.slots.size;
  }

  slotOf(streamId: string): number | undefined {
    return this.slots.get(streamId);
  }

  version(slot: number): number {
    return this.versions[slot] ?? 0;
  }

  position(slot: number): bigint {
    return this.positions[slot] ?? 0n;
  }

  hash(slot: number): string {
    return this.textOf(this.hashes, slot, 0);
  }

  hashIs(slot: number, text: string): boolean {
    return this.holds(this.hashes, slot, 0, text);
  }

  prevHashIs(slot: number, text: string): boolean {
    return this.holds(this.prevHashes, slot, 1, text);
  }

  /** A stream's first tip. */
  add(streamId: string, version: number, hash: string, prevHash: string, position: bigint): void {
    const slot = this.slots.size;
    if (slot === this.capacity) this.grow();
    this.slots.set(streamId, slot);
    this.set(slot, version, hash, prevHash, position);
  }

  set(slot: number, version: number, hash: string, prevHash: string, position: bigint): void {
    this.versions[slot] = version;
    this.positions[slot] = position;
    this.store(this.prevHashes, slot, 1, prevHash);
    this.store(this.hashes, slot, 0, hash);
  }

  /**
   * The next event of a stream that chained to the tip: its previous hash is the tip's hash, so the
   * bytes move across rather than being parsed from text again.
   */
  advance(slot: number, version: number, hash: string, position: bigint): void {
    this.moveTip(slot, version, position);
    this.store(this.hashes, slot, 0, hash);
  }

  /** The tip moves on: its hash becomes the previous hash (bytes, or an odd text as it was). */
  private moveTip(slot: number, version: number, position: bigint): void {
    this.versions[slot] = version;
    this.positions[slot] = position;
    const offset = slot * HASH_BYTES;
    this.hashes.copy(this.prevHashes, offset, offset, offset + HASH_BYTES);
    if (this.oddTexts.size > 0) {
      const odd = this.oddTexts.get(slot * 2);
      if (odd === undefined) this.oddTexts.delete(slot * 2 + 1);
      else this.oddTexts.set(slot * 2 + 1, odd);
    }
  }

  /** As `hashIs`, for a hash given as 32 raw bytes at `at` (the hex text would be lowercase). */
  hashIsBytes(slot: number, bytes: Uint8Array, at: number): boolean {
    const odd = this.oddTexts.size === 0 ? undefined : this.oddTexts.get(slot * 2);
    if (odd !== undefined) return false;
    const column = this.hashes;
    const offset = slot * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i += 1) if (column[offset + i] !== bytes[at + i]) return false;
    return true;
  }

  /** As `add`, with the hash and previous hash as 64 raw bytes at `at` (hash first). */
  addBytes(streamId: string, version: number, bytes: Uint8Array, at: number, position: bigint): void {
    const slot = this.slots.size;
    if (slot === this.capacity) this.grow();
    this.slots.set(streamId, slot);
    this.versions[slot] = version;
    this.positions[slot] = position;
    this.storeBytes(this.hashes, slot, 0, bytes, at);
    this.storeBytes(this.prevHashes, slot, 1, bytes, at + HASH_BYTES);
  }

  /** As `advance`, with the new hash as 32 raw bytes at `at`. */
  advanceBytes(slot: number, version: number, bytes: Uint8Array, at: number, position: bigint): void {
    this.moveTip(slot, version, position);
    this.storeBytes(this.hashes, slot, 0, bytes, at);
  }

  private storeBytes(column: Buffer, slot: number, which: 0 | 1, bytes: Uint8Array, at: number): void {
    if (this.oddTexts.size > 0) this.oddTexts.delete(slot * 2 + which);
    const offset = slot * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i += 1) column[offset + i] = bytes[at + i] as number;
  }

  private holds(column: Buffer, slot: number, which: 0 | 1, text: string): boolean {
    const odd = this.oddTexts.size === 0 ? undefined : this.oddTexts.get(slot * 2 + which);
    if (odd !== undefined) return odd === text;
    // The stored text is lowercase hex: any other text differs from it.
    if (!isLowerHex(text)) return false;
    this.scratch.write(text, 0, HASH_BYTES, 'hex');
    const offset = slot * HASH_BYTES;
    return this.scratch.compare(column, offset, offset + HASH_BYTES) === 0;
  }

  private store(column: Buffer, slot: number, which: 0 | 1, text: string): void {
    if (this.oddTexts.size > 0) this.oddTexts.delete(slot * 2 + which);
    if (isLowerHex(text)) column.write(text, slot * HASH_BYTES, HASH_BYTES, 'hex');
    else this.oddTexts.set(slot * 2 + which, text);
  }

  private textOf(column: Buffer, slot: number, which: 0 | 1): string {
    const odd = this.oddTexts.size === 0 ? undefined : this.oddTexts.get(slot * 2 + which);
    if (odd !== undefined) return typeof odd === 'string' ? odd : (JSON.stringify(odd) ?? 'undefined');
    const offset = slot * HASH_BYTES;
    return column.toString('hex', offset, offset + HASH_BYTES);
  }

  private grow(): void {
    this.capacity *= 2;
    const versions = new Float64Array(this.capacity);
    versions.set(this.versions);
    this.versions = versions;
    const positions = new BigInt64Array(this.capacity);
    positions.set(this.positions);
    this.positions = positions;
    this.hashes = grown(this.hashes, this.capacity * HASH_BYTES);
    this.prevHashes = grown(this.prevHashes, this.capacity * HASH_BYTES);
  }
}

function grown(column: Buffer, size: number): Buffer {
  const next = Buffer.alloc(size);
  column.copy(next);
  return next;
}

function isLowerHex(text: unknown): text is string {
  if (typeof text !== 'string' || text.length !== HASH_HEX) return false;
  for (let i = 0; i < HASH_HEX; i += 1) {
    const code = text.charCodeAt(i);
    if (!((code >= DIGIT_0 && code <= DIGIT_9) || (code >= LOWER_A && code <= LOWER_F))) return false;
  }
  return true;
}
