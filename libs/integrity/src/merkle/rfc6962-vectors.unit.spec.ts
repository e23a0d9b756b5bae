import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
import { arrayLeaves } from './array-leaves';

/*
 * The transparency-dev/merkle test vectors (copied with their LICENSE under testdata/rfc6962), every
 * file run: each case with wantErr false must verify, every other case must be rejected.
 */
const VECTORS = join(__dirname, '../../testdata/rfc6962');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

function load<T>(kind: string): [string, T][] {
  return jsonFiles(join(VECTORS, kind)).map((path) => [
    relative(VECTORS, path),
    JSON.parse(readFileSync(path, 'utf8')) as T,
  ]);
}

const b64 = (text: string): Buffer => Buffer.from(text, 'base64');
const proofOf = (proof: string[] | null): Buffer[] => (proof ?? []).map(b64);

/** The leaf data of the RFC 6962 reference tree the vectors are built from (certificate-transparency). */
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => hashLeaf(Buffer.from(hex, 'hex')));

/** The published MTH of the first 1..8 reference leaves. */
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const inclusionVectors = load<InclusionVector>('inclusion');
const consistencyVectors = load<ConsistencyVector>('consistency');

/** Roots the vectors give for the reference tree, so generated proofs can be compared with theirs. */
function isReferenceRoot(size: number, root: string): boolean {
  return size >= 1 && size <= 8 && REFERENCE_ROOTS[size - 1] === b64(root).toString('hex');
}

describe('RFC 6962 reference tree', () => {
  it.each(REFERENCE_ROOTS.map((root, i) => [i + 1, root] as const))('MTH of %i leaves', (size, root) => {
    expect(rootOf(REFERENCE_LEAVES.slice(0, size)).toString('hex')).toBe(root);
  });
});

describe('RFC 6962 inclusion vectors', () => {
  it('has every vector file (none silently skipped)', () => {
    expect(inclusionVectors.length).toBe(98);
  });

  it.each(inclusionVectors)('%s', (_file, v) => {
    const verified = verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, proofOf(v.proof), b64(v.root));
    expect(verified).toBe(!v.wantErr);
  });

  it.each(inclusionVectors.filter(([, v]) => !v.wantErr && isReferenceRoot(v.treeSize, v.root)))(
    'generates the same proof as %s',
    async (_file, v) => {
      const leaves = REFERENCE_LEAVES.slice(0, v.treeSize);
      const proof = await inclusionProof(arrayLeaves(leaves), v.leafIdx, v.treeSize);
      expect(proof).toEqual(proofOf(v.proof));
    },
  );
});

describe('RFC 6962 consistency vectors', () => {
  it('has every vector file (none silently skipped)', () => {
    expect(consistencyVectors.length).toBe(98);
  });

  it.each(consistencyVectors)('%s', (_file, v) => {
    const verified = verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), proofOf(v.proof));
    expect(verified).toBe(!v.wantErr);
  });

  it.each(consistencyVectors.filter(([, v]) => !v.wantErr && isReferenceRoot(v.size2, v.root2)))(
    'generates the same proof as %s',
    async (_file, v) => {
      const leaves = REFERENCE_LEAVES.slice(0, v.size2);
      const proof = await consistencyProof(arrayLeaves(leaves), v.size1, v.size2);
      expect(proof).toEqual(proofOf(v.proof));
    },
  );
});
