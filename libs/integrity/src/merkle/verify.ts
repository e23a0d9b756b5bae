import { HASH_SIZE, hashChildren } from './hashes';
import { half, isOdd, isPowerOfTwo, isTreeInteger } from './tree-math';

/*
 * Both verifiers take untrusted input (a proof from a log the auditor does not trust), so every bad
 * input, however malformed, is a `false`: there is nothing an auditor can do with an exception that
 * it cannot do with a failed verification.
 */

function wellFormedPath(proof: readonly Buffer[]): boolean {
  return proof.every((element) => element.length === HASH_SIZE);
}

/** A cursor over the tree, walked from a leaf (or the old root) upwards: `fn` and `sn` of RFC 9162. */
interface Walk {
  fn: number;
  sn: number;
}

/** Step 4.b.ii of 2.1.3.2 / 6.b.ii of 2.1.4.2: climb past levels where the node has no right sibling. */
function skipRightEdge(walk: Walk): void {
  while (!isOdd(walk.fn) && walk.fn !== 0) {
    walk.fn = half(walk.fn);
    walk.sn = half(walk.sn);
  }
}

function shift(walk: Walk): void {
  walk.fn = half(walk.fn);
  walk.sn = half(walk.sn);
}

/** Recomputes the root from a leaf and its audit path: RFC 9162 2.1.3.2, steps 2 to 5. */
function rootFromInclusionPath(
  leafHash: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
): Buffer | undefined {
  const walk: Walk = { fn: index, sn: treeSize - 1 };
  let r = leafHash;
  for (const p of proof) {
    if (walk.sn === 0) return undefined; // 4.a: the path is longer than the tree is deep.
    if (isOdd(walk.fn) || walk.fn === walk.sn) {
      r = hashChildren(p, r);
      if (!isOdd(walk.fn)) skipRightEdge(walk);
    } else {
      r = hashChildren(r, p);
    }
    shift(walk);
  }
  return walk.sn === 0 ? r : undefined; // 5: the path must reach the top, not stop short of it.
}

/** RFC 9162 2.1.3.2: is `leafHash` the leaf at `index` of the tree of size `treeSize` with this root? */
export function verifyInclusion(
  leafHash: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isTreeInteger(index) || !isTreeInteger(treeSize) || index >= treeSize) return false; // step 1
  if (leafHash.length !== HASH_SIZE || !wellFormedPath(proof)) return false;
  const computed = rootFromInclusionPath(leafHash, index, treeSize, proof);
  return computed !== undefined && computed.equals(root);
}

interface ConsistencyRoots {
  fr: Buffer;
  sr: Buffer;
}

/** RFC 9162 2.1.4.2 steps 2 to 6: rebuilds both roots from one path; undefined if the path is too long. */
function rootsFromConsistencyPath(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  proof: readonly Buffer[],
): ConsistencyRoots | undefined {
  // Step 2: when the old tree is complete its root is a node of the new tree but is not sent.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  const walk: Walk = { fn: oldSize - 1, sn: newSize - 1 };
  while (isOdd(walk.fn)) shift(walk); // step 4
  const [first, ...rest] = path;
  if (first === undefined) return undefined;
  const roots: ConsistencyRoots = { fr: first, sr: first }; // step 5
  for (const c of rest) {
    if (walk.sn === 0) return undefined; // 6.a
    if (isOdd(walk.fn) || walk.fn === walk.sn) {
      roots.fr = hashChildren(c, roots.fr);
      roots.sr = hashChildren(c, roots.sr);
      if (!isOdd(walk.fn)) skipRightEdge(walk);
    } else {
      roots.sr = hashChildren(roots.sr, c);
    }
    shift(walk);
  }
  return walk.sn === 0 ? roots : undefined; // part of step 7
}

/**
 * RFC 9162 2.1.4.2: is the tree of `newSize` with `newRoot` an append-only extension of the tree of
 * `oldSize` with `oldRoot`? Equal sizes need an empty proof and equal roots (PROOF(n, D_n) = {},
 * 2.1.4.1). oldSize 0 is always false: 2.1.4.2 requires 0 < first, and a check against the empty tree
 * proves nothing, so a caller holding an empty old tree head should skip the check instead.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  newRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isTreeInteger(oldSize) || !isTreeInteger(newSize) || oldSize < 1 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0 || !wellFormedPath(proof)) return false; // step 1
  const roots = rootsFromConsistencyPath(oldSize, newSize, oldRoot, proof);
  return roots !== undefined && roots.fr.equals(oldRoot) && roots.sr.equals(newRoot); // step 7
}
