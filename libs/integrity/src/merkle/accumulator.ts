import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hashes';
import { half, isOdd, isTreeInteger } from './tree-math';

/** The state of an accumulator, to persist it and resume hashing without re-reading the log. */
export interface MerkleFrontier {
  size: number;
  /** Roots of the complete subtrees, largest (leftmost) first: one per set bit of `size`. */
  hashes: Buffer[];
}

function popCount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = half(rest)) if (isOdd(rest)) count += 1;
  return count;
}

/**
 * Streaming MTH (RFC 9162 2.1.1). The tree of n leaves splits into complete subtrees of the sizes of
 * n's set bits, largest first, so keeping one root per set bit is enough: memory is O(log n) and each
 * push costs amortised O(1) hashes, which is what lets an auditor hash millions of events in one pass.
 */
export class MerkleAccumulator {
  private count = 0;
  private readonly stack: Buffer[] = [];

  /** Resumes from a saved frontier; throws if it cannot be the frontier of a tree of that size. */
  static fromFrontier(frontier: MerkleFrontier): MerkleAccumulator {
    const { size, hashes } = frontier;
    if (!isTreeInteger(size) || hashes.length !== popCount(size)) {
      throw new RangeError('a frontier holds one hash per set bit of its tree size');
    }
    if (hashes.some((hash) => hash.length !== HASH_SIZE)) {
      throw new RangeError(`frontier hashes are ${HASH_SIZE} bytes`);
    }
    const accumulator = new MerkleAccumulator();
    accumulator.count = size;
    accumulator.stack.push(...hashes.map((hash) => Buffer.from(hash)));
    return accumulator;
  }

  get size(): number {
    return this.count;
  }

  push(leafHash: Buffer): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`a leaf hash is ${HASH_SIZE} bytes`);
    let node = leafHash;
    // Each trailing 1-bit of the old size is a complete subtree the same size as `node`: merge them.
    for (let rest = this.count; isOdd(rest); rest = half(rest)) {
      const left = this.stack.pop();
      if (left === undefined) throw new Error('accumulator stack is inconsistent with its size');
      node = hashChildren(left, node);
    }
    this.stack.push(node);
    this.count += 1;
  }

  /** Folds the subtree roots right to left, which is exactly how MTH splits an unbalanced tree. */
  root(): Buffer {
    let node = this.stack.at(-1);
    if (node === undefined) return Buffer.from(EMPTY_ROOT);
    for (let i = this.stack.length - 2; i >= 0; i -= 1) {
      const left = this.stack[i];
      if (left === undefined) break;
      node = hashChildren(left, node);
    }
    return node;
  }

  clone(): MerkleAccumulator {
    return MerkleAccumulator.fromFrontier(this.frontier());
  }

  frontier(): MerkleFrontier {
    return { size: this.count, hashes: this.stack.map((hash) => Buffer.from(hash)) };
  }
}
