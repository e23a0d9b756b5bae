import { type LeafRange } from './generate';

/**
 * A LeafRange over leaf hashes held in memory: for tests and for callers that hold a small log.
 * Yields exactly the requested slice, like a store query by ordinal would.
 */
export function arrayLeaves(leaves: readonly Buffer[]): LeafRange {
  return async function* range(start: number, end: number): AsyncIterable<Buffer> {
    for (const leaf of leaves.slice(start, end)) yield await Promise.resolve(leaf);
  };
}
