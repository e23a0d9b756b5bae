import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  HASH_SIZE,
  MerkleAccumulator,
  consistencyProof,
  hashChildren,
  hashLeaf,
  inclusionProof,
  leafHashOf,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type LeafRange,
} from './merkle';
import { arrayLeaves } from './array-leaves';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const MAX = 300;
const LEAVES = Array.from({ length: MAX }, (_, i) =>
  leafHashOf(createHash('sha256').update(`event ${i}`).digest('hex')),
);
/** ROOTS[n] = MTH of the first n leaves, by the recursive reference definition. */
const ROOTS = Array.from({ length: MAX + 1 }, (_, n) => rootOf(LEAVES.slice(0, n)));
const LOG = arrayLeaves(LEAVES);
const random = prng(6962);

function root(size: number): Buffer {
  const r = ROOTS[size];
  if (r === undefined) throw new Error(`no root for ${size}`);
  return r;
}

function leaf(index: number): Buffer {
  const l = LEAVES[index];
  if (l === undefined) throw new Error(`no leaf ${index}`);
  return l;
}

function flipBit(hash: Buffer, bit: number): Buffer {
  const copy = Buffer.from(hash);
  const byte = Math.floor(bit / 8);
  copy[byte] = (copy[byte] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

/** Each proof element with one random bit flipped, one element at a time. */
function tamperedProofs(proof: readonly Buffer[]): Buffer[][] {
  return proof.map((element, i) =>
    proof.map((e, j) => (i === j ? flipBit(element, random(HASH_SIZE * 8)) : e)),
  );
}

/** Structural mutations: an element dropped, an extra one appended or prepended. */
function reshapedProofs(proof: readonly Buffer[]): Buffer[][] {
  const extra = leaf(0);
  return [proof.slice(1), proof.slice(0, -1), [...proof, extra], [extra, ...proof]].filter(
    (p) => p.length !== proof.length || p.some((e, i) => !e.equals(proof[i] ?? Buffer.alloc(0))),
  );
}

describe('hashes', () => {
  it('EMPTY_ROOT is SHA-256 of the empty string', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('separates leaves from nodes (RFC 9162 2.1.1)', () => {
    const a = Buffer.alloc(32, 1);
    expect(hashLeaf(a)).toEqual(
      createHash('sha256')
        .update(Buffer.from([0]))
        .update(a)
        .digest(),
    );
    expect(hashChildren(a, a)).toEqual(
      createHash('sha256')
        .update(Buffer.from([1]))
        .update(a)
        .update(a)
        .digest(),
    );
  });

  it('leafHashOf hashes the 32 raw bytes of the event hash, in either case', () => {
    const hex = 'ab'.repeat(32);
    expect(leafHashOf(hex)).toEqual(hashLeaf(Buffer.from(hex, 'hex')));
    expect(leafHashOf(hex.toUpperCase())).toEqual(leafHashOf(hex));
  });

  it.each(['', 'ab'.repeat(31), 'zz'.repeat(32), 'ab'.repeat(33)])('leafHashOf rejects %p', (bad) => {
    expect(() => leafHashOf(bad)).toThrow(RangeError);
  });
});

describe('MerkleAccumulator', () => {
  it('equals rootOf at every size 0..300', () => {
    const accumulator = new MerkleAccumulator();
    expect(accumulator.root()).toEqual(EMPTY_ROOT);
    for (let n = 1; n <= MAX; n += 1) {
      accumulator.push(leaf(n - 1));
      expect(accumulator.size).toBe(n);
      expect(accumulator.root()).toEqual(root(n));
    }
  });

  it('takes a complete subtree by its root exactly as its leaves one by one', () => {
    for (const [before, leaves] of [
      [0, 1],
      [0, 64],
      [8, 8],
      [16, 4],
      [12, 4],
      [96, 32],
      [256, 16],
    ] as const) {
      const whole = new MerkleAccumulator();
      LEAVES.slice(0, before).forEach((l) => whole.push(l));
      whole.pushSubtree(rootOf(LEAVES.slice(before, before + leaves)), leaves);
      expect(whole.size).toBe(before + leaves);
      expect(whole.root()).toEqual(root(before + leaves));
      whole.push(leaf(before + leaves));
      expect(whole.root()).toEqual(root(before + leaves + 1));
    }
  });

  it('refuses a subtree that is not one of the tree’s own', () => {
    const accumulator = new MerkleAccumulator();
    LEAVES.slice(0, 6).forEach((l) => accumulator.push(l));
    expect(() => accumulator.pushSubtree(leaf(0), 4)).toThrow(RangeError);
    expect(() => accumulator.pushSubtree(leaf(0), 3)).toThrow(RangeError);
    expect(() => accumulator.pushSubtree(Buffer.alloc(31), 2)).toThrow(RangeError);
  });

  it('keeps one hash per set bit of the size (O(log n) memory)', () => {
    const accumulator = new MerkleAccumulator();
    LEAVES.slice(0, 255).forEach((l) => accumulator.push(l));
    expect(accumulator.frontier().hashes).toHaveLength(8);
    accumulator.push(leaf(255));
    expect(accumulator.frontier().hashes).toHaveLength(1);
  });

  it('clones independently, and resumes from a saved frontier', () => {
    const accumulator = new MerkleAccumulator();
    LEAVES.slice(0, 100).forEach((l) => accumulator.push(l));
    const copy = accumulator.clone();
    const resumed = MerkleAccumulator.fromFrontier(accumulator.frontier());
    LEAVES.slice(100, 150).forEach((l) => accumulator.push(l));
    expect(copy.size).toBe(100);
    expect(copy.root()).toEqual(root(100));
    LEAVES.slice(100, 150).forEach((l) => resumed.push(l));
    expect(resumed.root()).toEqual(root(150));
  });

  it('rejects leaves that are not hashes, and impossible frontiers', () => {
    expect(() => new MerkleAccumulator().push(Buffer.alloc(31))).toThrow(RangeError);
    expect(() => MerkleAccumulator.fromFrontier({ size: 3, hashes: [leaf(0)] })).toThrow(RangeError);
    expect(() => MerkleAccumulator.fromFrontier({ size: 1, hashes: [Buffer.alloc(1)] })).toThrow(RangeError);
  });

  it('does not let the caller mutate its root', () => {
    const accumulator = new MerkleAccumulator();
    accumulator.root().fill(0);
    expect(accumulator.root()).toEqual(EMPTY_ROOT);
  });
});

/** Index/size pairs: every index up to size 64, then a few random ones per size. */
function inclusionCases(): [number, number][] {
  const cases: [number, number][] = [];
  for (let size = 1; size <= MAX; size += 1) {
    if (size <= 64) for (let index = 0; index < size; index += 1) cases.push([index, size]);
    else for (let k = 0; k < 3; k += 1) cases.push([random(size), size]);
  }
  return cases;
}

describe('inclusion proofs', () => {
  const cases = inclusionCases();

  it('verify for every generated case, and fail for any flipped bit, index or other tree', async () => {
    for (const [index, size] of cases) {
      const proof = await inclusionProof(LOG, index, size);
      expect(verifyInclusion(leaf(index), index, size, proof, root(size))).toBe(true);
      for (const bad of [...tamperedProofs(proof), ...reshapedProofs(proof)]) {
        expect(verifyInclusion(leaf(index), index, size, bad, root(size))).toBe(false);
      }
      expect(verifyInclusion(flipBit(leaf(index), random(256)), index, size, proof, root(size))).toBe(false);
      expect(verifyInclusion(leaf(index), index, size, proof, flipBit(root(size), random(256)))).toBe(false);
      for (const other of [index - 1, index + 1, index ^ 1, index + size]) {
        if (other === index) continue;
        expect(verifyInclusion(leaf(index), other, size, proof, root(size))).toBe(false);
      }
      // Against the genuine head of another size (what an auditor would hold), the proof must fail.
      for (const other of [size - 1, size + 1, size * 2]) {
        if (other < 1 || other > MAX) continue;
        expect(verifyInclusion(leaf(index), index, other, proof, root(other))).toBe(false);
      }
    }
  });

  it('a proof only binds the root, not the size: the signed head must bind the size (RFC 9162 2.1.3.2)', async () => {
    // Leaf 0 of 5 and of 6 take the same turns, so the algorithm alone cannot tell the sizes apart.
    const proof = await inclusionProof(LOG, 0, 5);
    expect(verifyInclusion(leaf(0), 0, 6, proof, root(5))).toBe(true);
    expect(verifyInclusion(leaf(0), 0, 6, proof, root(6))).toBe(false);
  });

  it('reads only the requested ranges of the log', async () => {
    const requested: [number, number][] = [];
    const spy: LeafRange = (start, end) => {
      requested.push([start, end]);
      return LOG(start, end);
    };
    await inclusionProof(spy, 5, 11);
    expect(requested).toEqual([
      [4, 5],
      [6, 8],
      [0, 4],
      [8, 11],
    ]);
  });

  it.each([
    [0, 0],
    [1, 1],
    [-1, 2],
    [0.5, 2],
    [0, Number.MAX_SAFE_INTEGER + 1],
  ])('refuses to generate for index %p of size %p', async (index, size) => {
    await expect(inclusionProof(LOG, index, size)).rejects.toThrow(RangeError);
  });

  it('fails loudly if the log returns fewer leaves than asked for', async () => {
    await expect(inclusionProof(arrayLeaves(LEAVES.slice(0, 3)), 0, 8)).rejects.toThrow(/returned/);
  });

  it.each([
    ['negative index', -1, 4],
    ['index = size', 4, 4],
    ['size 0', 0, 0],
    ['fractional index', 0.5, 4],
    ['unsafe size', 0, 2 ** 64],
  ])('verification returns false (never throws) for %s', (_name, index, size) => {
    expect(verifyInclusion(leaf(0), index, size, [], root(4))).toBe(false);
  });
});

describe('consistency proofs', () => {
  async function checkPair(m: number, n: number): Promise<void> {
    const proof = await consistencyProof(LOG, m, n);
    expect(verifyConsistency(m, n, root(m), root(n), proof)).toBe(true);
    for (const bad of [...tamperedProofs(proof), ...reshapedProofs(proof)]) {
      expect(verifyConsistency(m, n, root(m), root(n), bad)).toBe(false);
    }
    expect(verifyConsistency(m, n, flipBit(root(m), random(256)), root(n), proof)).toBe(false);
    expect(verifyConsistency(m, n, root(m), flipBit(root(n), random(256)), proof)).toBe(false);
    if (m !== n) expect(verifyConsistency(m, n, root(n), root(m), proof)).toBe(false);
    // Other sizes, each with its genuine root: a proof for (m, n) proves nothing about them.
    for (const [m2, n2] of [
      [m - 1, n],
      [m + 1, n],
      [m, n - 1],
      [m, n + 1],
    ] as const) {
      if (m2 < 1 || n2 > MAX || m2 > n2) continue;
      const sameProof = proof.length === 0 && root(m2).equals(root(n2));
      expect(verifyConsistency(m2, n2, root(m2), root(n2), proof)).toBe(sameProof);
    }
  }

  it('verify and resist tampering for every 1 <= m <= n <= 64', async () => {
    for (let n = 1; n <= 64; n += 1) for (let m = 1; m <= n; m += 1) await checkPair(m, n);
  });

  it('verify and resist tampering for random pairs up to 300', async () => {
    for (let k = 0; k < 300; k += 1) {
      const n = 1 + random(MAX);
      await checkPair(1 + random(n), n);
    }
  });

  it('is empty between equal sizes (RFC 9162 2.1.4.1)', async () => {
    await expect(consistencyProof(LOG, 7, 7)).resolves.toEqual([]);
  });

  it.each([
    [0, 5],
    [6, 5],
    [-1, 5],
    [1.5, 5],
  ])('refuses to generate from %p to %p', async (m, n) => {
    await expect(consistencyProof(LOG, m, n)).rejects.toThrow(RangeError);
  });

  it.each([
    ['from the empty tree', 0, 4],
    ['backwards', 5, 4],
    ['with unsafe sizes', 1, 2 ** 64],
  ])('verification returns false (never throws) %s', (_name, m, n) => {
    expect(verifyConsistency(m, n, EMPTY_ROOT, root(4), [leaf(0)])).toBe(false);
  });
});
