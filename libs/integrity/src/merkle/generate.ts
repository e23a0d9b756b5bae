import { MerkleAccumulator } from './accumulator';
import { largestPowerOfTwoBelow, isTreeInteger } from './tree-math';

/** Yields the leaf hashes with indices [start, end), in log order. */
export type LeafRange = (start: number, end: number) => AsyncIterable<Buffer>;

/** A half-open interval of leaf indices whose subtree root is one proof element. */
interface Span {
  start: number;
  end: number;
}

/**
 * PATH(m, D[start:end]) of RFC 9162 2.1.3.1 as the spans whose roots form the proof, deepest first.
 * Working on spans rather than hashes lets each root be streamed from the log independently.
 */
function inclusionSpans(index: number, start: number, end: number): Span[] {
  if (end - start === 1) return [];
  const middle = start + largestPowerOfTwoBelow(end - start);
  return index < middle
    ? [...inclusionSpans(index, start, middle), { start: middle, end }]
    : [...inclusionSpans(index, middle, end), { start, end: middle }];
}

/**
 * SUBPROOF(m, D[start:end], b) of RFC 9162 2.1.4.1, where `oldEnd` is start + m. `whole` is b: true
 * while the old tree's root is itself a node of this subtree, which the verifier already knows.
 */
function consistencySpans(oldEnd: number, start: number, end: number, whole: boolean): Span[] {
  if (oldEnd === end) return whole ? [] : [{ start, end }];
  const middle = start + largestPowerOfTwoBelow(end - start);
  return oldEnd <= middle
    ? [...consistencySpans(oldEnd, start, middle, whole), { start: middle, end }]
    : [...consistencySpans(oldEnd, middle, end, false), { start, end: middle }];
}

/** Streams one span through an accumulator: O(log n) memory however large the subtree. */
async function spanRoot(leaves: LeafRange, span: Span): Promise<Buffer> {
  const accumulator = new MerkleAccumulator();
  for await (const leaf of leaves(span.start, span.end)) {
    if (accumulator.size === span.end - span.start) break;
    accumulator.push(leaf);
  }
  if (accumulator.size !== span.end - span.start) {
    throw new Error(`the log returned ${accumulator.size} leaves for [${span.start}, ${span.end})`);
  }
  return accumulator.root();
}

async function spanRoots(leaves: LeafRange, spans: readonly Span[]): Promise<Buffer[]> {
  const roots: Buffer[] = [];
  for (const span of spans) roots.push(await spanRoot(leaves, span));
  return roots;
}

/** Audit path for leaf `index` in the tree of the first `treeSize` leaves (RFC 9162 2.1.3.1). */
export async function inclusionProof(leaves: LeafRange, index: number, treeSize: number): Promise<Buffer[]> {
  if (!isTreeInteger(index) || !isTreeInteger(treeSize) || index >= treeSize) {
    throw new RangeError(`no leaf ${index} in a tree of size ${treeSize}`);
  }
  return spanRoots(leaves, inclusionSpans(index, 0, treeSize));
}

/**
 * Consistency proof between the trees of the first `oldSize` and `newSize` leaves (RFC 9162 2.1.4.1).
 * oldSize 0 is refused: every tree extends the empty one, and 2.1.4.2 only verifies 0 < first.
 */
export async function consistencyProof(
  leaves: LeafRange,
  oldSize: number,
  newSize: number,
): Promise<Buffer[]> {
  if (!isTreeInteger(oldSize) || !isTreeInteger(newSize) || oldSize < 1 || oldSize > newSize) {
    throw new RangeError(`no consistency proof from size ${oldSize} to size ${newSize}`);
  }
  return spanRoots(leaves, consistencySpans(oldSize, 0, newSize, true));
}
