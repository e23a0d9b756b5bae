import { EMPTY_ROOT, hashChildren } from './hashes';
import { largestPowerOfTwoBelow } from './tree-math';

/**
 * MTH(D_n) by the recursive definition of RFC 9162 2.1.1, over leaf hashes already computed. It holds
 * every leaf in memory, so it is the reference for tests and small trees; use MerkleAccumulator for logs.
 */
export function rootOf(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  const only = leafHashes[0];
  if (n === 0 || only === undefined) return Buffer.from(EMPTY_ROOT);
  if (n === 1) return Buffer.from(only);
  const k = largestPowerOfTwoBelow(n);
  return hashChildren(rootOf(leafHashes.slice(0, k)), rootOf(leafHashes.slice(k)));
}
