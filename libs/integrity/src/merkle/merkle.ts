/**
 * The RFC 9162 (RFC 6962bis) Merkle tree over the global event log: leaf i is the i-th event in
 * global log order (an ordinal, never the store's position, which may have gaps).
 */
export { HASH_SIZE, EMPTY_ROOT, hashLeaf, hashChildren, leafHashOf } from './hashes';
export { MerkleAccumulator, type MerkleFrontier } from './accumulator';
export { rootOf } from './root';
export { type LeafRange, inclusionProof, consistencyProof } from './generate';
export { arrayLeaves } from './array-leaves';
export { verifyInclusion, verifyConsistency } from './verify';
