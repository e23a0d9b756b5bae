import { hash } from 'node:crypto';
import { EMPTY_ROOT, HASH_SIZE, hashChildren, requireEventHashHex } from './hashes';
import { half, isOdd, isPowerOfTwo, isTreeInteger } from './tree-math';

/** The state of an accumulator, to persist it and resume hashing without re-reading the log. */
export interface MerkleFrontier {
  size: number;
  /** Roots of the complete subtrees, largest (leftmost) first: one per set bit of `size`. */
  hashes: Buffer[];
}

/** A tree size is a safe integer (< 2^53), so at most 53 complete subtrees. */
const MAX_SUBTREES = 53;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function popCount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = half(rest)) if (isOdd(rest)) count += 1;
  return count;
}

/**
 * Streaming MTH (RFC 9162 2.1.1). The tree of n leaves splits into complete subtrees of the sizes of
 * n's set bits, largest first, so keeping one root per set bit is enough: memory is O(log n) and each
 * push costs amortised O(1) hashes, which is what lets an auditor hash millions of events in one pass.
 *
 * The subtree roots live in one fixed buffer and every hash is one `crypto.hash` call over reused
 * input buffers: a push allocates no Buffer, which is most of what hashing a million leaves cost.
 */
export class MerkleAccumulator {
  private count = 0;
  private depth = 0;
  private readonly roots = Buffer.alloc(MAX_SUBTREES * HASH_SIZE);
  private readonly leafInput = Buffer.alloc(1 + HASH_SIZE, LEAF_PREFIX);
  private readonly nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, NODE_PREFIX);

  /** Resumes from a saved frontier; throws if it cannot be the frontier of a tree of that size. */
  static fromFrontier(frontier: MerkleFrontier): MerkleAccumulator {
    const { size, hashes } = frontier;
    if (!isTreeInteger(size) || hashes.length !== popCount(size)) {
      throw new RangeError('a frontier holds one hash per set bit of its tree size');
    }
    if (hashes.some((node) => node.length !== HASH_SIZE)) {
      throw new RangeError(`frontier hashes are ${HASH_SIZE} bytes`);
    }
    const accumulator = new MerkleAccumulator();
    accumulator.count = size;
    for (const node of hashes) accumulator.storeRoot(node);
    return accumulator;
  }

  get size(): number {
    return this.count;
  }

  push(leafHash: Buffer): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`a leaf hash is ${HASH_SIZE} bytes`);
    this.pushNode(leafHash);
  }

  /** The leaf of one event from its hex hash, as `push(leafHashOf(hex))` without the Buffers. */
  pushEventHash(eventHashHex: string): void {
    requireEventHashHex(eventHashHex);
    this.pushComputedEventHash(eventHashHex);
  }

  /** As pushEventHash, for a digest this process has just computed (so known to be 64 hex digits). */
  pushComputedEventHash(eventHashHex: string): void {
    this.leafInput.write(eventHashHex, 1, 'hex');
    this.pushNode(hash('sha256', this.leafInput, 'buffer'));
  }

  /** As pushEventHash, for an event hash given as 32 raw bytes at `at`. */
  pushEventHashBytes(bytes: Uint8Array, at: number): void {
    const input = this.leafInput;
    for (let i = 0; i < HASH_SIZE; i += 1) input[1 + i] = bytes[at + i] as number;
    this.pushNode(hash('sha256', input, 'buffer'));
  }

  /**
   * A complete subtree of `leaves` leaves (a power of two) at once, from its root: the same state as
   * pushing its leaves one by one, where the tree's size is a multiple of `leaves` (the subtree is
   * then one of the tree's own). Lets a thread that hashed the leaves hand over only their root.
   */
  pushSubtree(root: Uint8Array, leaves: number): void {
    if (root.length !== HASH_SIZE) throw new RangeError(`a subtree root is ${HASH_SIZE} bytes`);
    if (!isPowerOfTwo(leaves) || this.count % leaves !== 0) {
      throw new RangeError(`a subtree of ${leaves} leaves does not fit a tree of ${this.count}`);
    }
    this.pushNode(root, leaves);
  }

  /** Folds the subtree roots right to left, which is exactly how MTH splits an unbalanced tree. */
  root(): Buffer {
    if (this.depth === 0) return Buffer.from(EMPTY_ROOT);
    let node = this.rootAt(this.depth - 1);
    for (let i = this.depth - 2; i >= 0; i -= 1) node = hashChildren(this.rootAt(i), node);
    return node;
  }

  clone(): MerkleAccumulator {
    return MerkleAccumulator.fromFrontier(this.frontier());
  }

  frontier(): MerkleFrontier {
    const hashes: Buffer[] = [];
    for (let i = 0; i < this.depth; i += 1) hashes.push(this.rootAt(i));
    return { size: this.count, hashes };
  }

  /**
   * Each trailing 1-bit of the old size (counted in units of `node`'s size) is a complete subtree the
   * same size as `node`: merge them.
   */
  private pushNode(leaf: Uint8Array, leaves = 1): void {
    // Digests as bytes, not hex: no text is made and parsed back per node (decision 0029).
    let node = leaf;
    const input = this.nodeInput;
    for (let rest = this.count / leaves; isOdd(rest); rest = half(rest)) {
      if (this.depth === 0) throw new Error('accumulator stack is inconsistent with its size');
      this.depth -= 1;
      this.roots.copy(input, 1, this.depth * HASH_SIZE, (this.depth + 1) * HASH_SIZE);
      input.set(node, 1 + HASH_SIZE);
      node = hash('sha256', input, 'buffer');
    }
    this.roots.set(node, this.depth * HASH_SIZE);
    this.depth += 1;
    this.count += leaves;
  }

  private storeRoot(node: Buffer): void {
    node.copy(this.roots, this.depth * HASH_SIZE);
    this.depth += 1;
  }

  private rootAt(index: number): Buffer {
    return Buffer.from(this.roots.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE));
  }
}
