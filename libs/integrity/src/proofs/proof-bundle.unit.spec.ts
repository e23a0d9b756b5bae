import { GENESIS_HASH, hashEvent, type HashableEvent } from '../event-hash';
import { MerkleAccumulator, inclusionProof, leafHashOf } from '../merkle/merkle';
import { arrayLeaves } from '../merkle/array-leaves';
import { generateSigningKeyPem, loadSigningKey, loadVerifyKey, signTreeHead } from '../tree-head/tree-head';
import {
  verifyInclusionBundle,
  verifyInclusionBundleForEvent,
  type InclusionProofBundle,
} from './proof-bundle';

const keys = generateSigningKeyPem();
const signingKey = loadSigningKey(keys.privateKeyPem);
const verifyKey = loadVerifyKey(keys.publicKeyPem);

function event(i: number, prevHash: string): HashableEvent {
  return {
    eventId: `evt-${i}`,
    streamId: 'statement-1',
    streamVersion: i + 1,
    type: 'StatementRecorded',
    schemaVersion: 1,
    data: { text: `claim ${i}` },
    metadata: { recordedAt: '2026-03-01T12:00:00.000Z', principal: 'desk', correlationId: `c-${i}` },
    prevHash,
  };
}

/** Eleven events chained in one stream; positions have gaps, as on some stores. */
const EVENTS: HashableEvent[] = [];
for (let i = 0; i < 11; i += 1) EVENTS.push(event(i, i === 0 ? GENESIS_HASH : hashEvent(EVENTS[i - 1]!)));
const POSITIONS = EVENTS.map((_, i) => String(10 + i * 3));
const LEAVES = EVENTS.map((e) => leafHashOf(hashEvent(e)));

function treeHead(size: number) {
  const accumulator = new MerkleAccumulator();
  LEAVES.slice(0, size).forEach((leaf) => accumulator.push(leaf));
  return signTreeHead(
    {
      treeSize: String(size),
      rootHash: accumulator.root().toString('hex'),
      timestamp: '2026-03-01T13:00:00Z',
      lastPosition: POSITIONS[size - 1]!,
    },
    signingKey,
  );
}

async function bundle(index: number, size = EVENTS.length): Promise<InclusionProofBundle> {
  const e = EVENTS[index]!;
  const hash = hashEvent(e);
  const proof = await inclusionProof(arrayLeaves(LEAVES), index, size);
  return {
    version: 1,
    event: {
      eventId: e.eventId,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      position: POSITIONS[index]!,
      hash,
    },
    leafIndex: index,
    treeSize: size,
    leafHash: leafHashOf(hash).toString('hex'),
    proof: proof.map((p) => p.toString('hex')),
    treeHead: treeHead(size),
  };
}

const flipHex = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('inclusion proof bundles', () => {
  it.each([0, 4, 10])('accepts a good bundle for leaf %i, also after a JSON round trip', async (index) => {
    const good = await bundle(index);
    expect(verifyInclusionBundle(good, verifyKey)).toEqual({ ok: true });
    expect(verifyInclusionBundle(JSON.parse(JSON.stringify(good)), verifyKey)).toEqual({ ok: true });
    expect(verifyInclusionBundleForEvent(good, verifyKey, EVENTS[index]!)).toEqual({ ok: true });
  });

  const tamperings: [string, (b: InclusionProofBundle) => InclusionProofBundle, RegExp][] = [
    ['the event hash', (b) => ({ ...b, event: { ...b.event, hash: flipHex(b.event.hash) } }), /leafHash/],
    [
      'the event hash and its leaf together',
      (b) => {
        const hash = flipHex(b.event.hash);
        return { ...b, event: { ...b.event, hash }, leafHash: leafHashOf(hash).toString('hex') };
      },
      /inclusion proof/,
    ],
    [
      'a proof element',
      (b) => ({ ...b, proof: b.proof.map((p, i) => (i === 1 ? flipHex(p) : p)) }),
      /inclusion/,
    ],
    ['the proof length', (b) => ({ ...b, proof: b.proof.slice(1) }), /inclusion proof/],
    ['the leaf index', (b) => ({ ...b, leafIndex: b.leafIndex + 1 }), /inclusion proof/],
    ['the bundle tree size', (b) => ({ ...b, treeSize: b.treeSize + 1 }), /treeSize/],
    [
      'the signed root',
      (b) => ({ ...b, treeHead: { ...b.treeHead, rootHash: flipHex(b.treeHead.rootHash) } }),
      /signature/,
    ],
    ['the signed size', (b) => ({ ...b, treeHead: { ...b.treeHead, treeSize: '12' } }), /signature/],
    [
      'the signature',
      (b) => ({ ...b, treeHead: { ...b.treeHead, signature: flipSig(b.treeHead.signature) } }),
      /signature/,
    ],
    ['the position', (b) => ({ ...b, event: { ...b.event, position: '999' } }), /position/],
    ['the version', (b) => ({ ...b, version: 2 as 1 }), /version/],
    ['a proof into non-hex', (b) => ({ ...b, proof: ['zz'] }), /proof/],
  ];

  it.each(tamperings)('rejects a tampered %s with a reason', async (_name, tamper, reason) => {
    const result = verifyInclusionBundle(tamper(await bundle(4)), verifyKey);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('rejects a bundle under a tree head from another key', async () => {
    const other = loadVerifyKey(generateSigningKeyPem().publicKeyPem);
    expect(verifyInclusionBundle(await bundle(4), other)).toEqual({
      ok: false,
      reason: expect.stringMatching(/logId/),
    });
  });

  it('rejects a last leaf whose position is not the signed last position', async () => {
    const b = await bundle(10);
    const moved = { ...b, event: { ...b.event, position: String(Number(b.event.position) - 1) } };
    expect(verifyInclusionBundle(moved, verifyKey)).toEqual({
      ok: false,
      reason: expect.stringMatching(/last/),
    });
  });

  it('rejects malformed JSON without throwing', () => {
    for (const junk of [null, 42, {}, { version: 1, event: {} }]) {
      expect(verifyInclusionBundle(junk as unknown as InclusionProofBundle, verifyKey).ok).toBe(false);
    }
  });

  it('with the event, rejects a bundle whose labels or hash do not match it', async () => {
    const good = await bundle(4);
    const relabelled = { ...good, event: { ...good.event, eventId: 'evt-5' } };
    expect(verifyInclusionBundleForEvent(relabelled, verifyKey, EVENTS[4]!).ok).toBe(false);
    const edited = { ...EVENTS[4]!, data: { text: 'edited later' } };
    expect(verifyInclusionBundleForEvent(good, verifyKey, edited)).toEqual({
      ok: false,
      reason: expect.stringMatching(/hash/),
    });
  });
});

function flipSig(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[10] = (bytes[10] ?? 0) ^ 1;
  return bytes.toString('base64');
}
