import type { LinkRecord } from './chain-checks';

const HASH_BYTES = 32;

/**
 * A link record over a page of rows hashed on another thread: the scalars set per row, the hash and
 * previous hash read from 64 raw bytes at `bytesAt` (hash first). One object serves a whole page,
 * so a row costs no object and no hex strings; the texts are made only when a check needs them (a
 * broken link, a fork, a problem's message). The verifier copies what it keeps, never the object.
 */
export class PackedLink implements LinkRecord {
  position = 0n;
  streamId = '';
  streamVersion = 0;
  recordedAt = '';
  bytes: Buffer = Buffer.alloc(2 * HASH_BYTES);
  bytesAt = 0;

  get hash(): string {
    return this.bytes.toString('hex', this.bytesAt, this.bytesAt + HASH_BYTES);
  }

  get prevHash(): string {
    return this.bytes.toString('hex', this.bytesAt + HASH_BYTES, this.bytesAt + 2 * HASH_BYTES);
  }
}
