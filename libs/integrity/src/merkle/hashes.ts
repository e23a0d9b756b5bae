import { createHash } from 'node:crypto';

/** SHA-256 output length: every leaf hash, node hash and proof element is this long (RFC 9162 2.1). */
export const HASH_SIZE = 32;

/** Domain-separation prefixes of RFC 9162 2.1.1: a leaf can never be passed off as an interior node. */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

const EVENT_HASH_HEX = /^[0-9a-f]{64}$/i;

function sha256(...parts: readonly Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** MTH({}) = SHA-256() (RFC 9162 2.1.1): the root of a log with no events. */
export const EMPTY_ROOT: Buffer = sha256();

/** MTH({d}) = SHA-256(0x00 || d) (RFC 9162 2.1.1). */
export function hashLeaf(data: Buffer): Buffer {
  return sha256(LEAF_PREFIX, data);
}

/** Interior node hash SHA-256(0x01 || left || right) (RFC 9162 2.1.1). */
export function hashChildren(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * The Merkle leaf of one event: its 32 raw hash bytes (not the hex text) are the leaf data, so the
 * tree commits to exactly what `hashEvent` commits to and nothing store-specific.
 */
export function leafHashOf(eventHashHex: string): Buffer {
  requireEventHashHex(eventHashHex);
  return hashLeaf(Buffer.from(eventHashHex, 'hex'));
}

export function requireEventHashHex(eventHashHex: string): void {
  if (!EVENT_HASH_HEX.test(eventHashHex)) {
    throw new RangeError('an event hash is 64 hexadecimal characters (SHA-256)');
  }
}
