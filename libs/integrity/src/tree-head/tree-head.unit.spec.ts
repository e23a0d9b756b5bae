import { createHash, generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import { EMPTY_ROOT } from '../merkle/merkle';
import {
  checkSignedTreeHead,
  generateSigningKeyPem,
  loadSigningKey,
  loadVerifyKey,
  logIdOf,
  publicKeyBase64,
  publicKeyPem,
  signTreeHead,
  treeHeadSigningInput,
  verifyTreeHead,
  type SignedTreeHead,
} from './tree-head';

/** RFC 8032 7.1 test 1: a fixed seed and its public key, to pin raw-key loading to the standard. */
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

const { privateKeyPem, publicKeyPem: verifyPem } = generateSigningKeyPem();
const signingKey = loadSigningKey(privateKeyPem);
const verifyKey = loadVerifyKey(verifyPem);

const HEAD = {
  treeSize: '1000',
  rootHash: createHash('sha256').update('root').digest('hex'),
  timestamp: '2026-03-01T12:00:00.000Z',
  lastPosition: '1042',
};

describe('signed tree heads', () => {
  const sth = signTreeHead(HEAD, signingKey);

  it('round-trips', () => {
    expect(sth).toMatchObject({ ...HEAD, version: 1, algorithm: 'Ed25519', logId: logIdOf(verifyKey) });
    expect(verifyTreeHead(sth, verifyKey)).toBe(true);
    expect(checkSignedTreeHead(JSON.parse(JSON.stringify(sth)), verifyKey)).toEqual({ ok: true });
  });

  it('signs the RFC 8785 canonical JSON of the TreeHead fields', () => {
    const { algorithm: _a, signature: _s, ...head } = sth;
    expect(treeHeadSigningInput(sth).toString('utf8')).toBe(canonicalize(head));
  });

  it('logId is SHA-256 of the SPKI DER', () => {
    const der = verifyKey.export({ type: 'spki', format: 'der' });
    expect(sth.logId).toBe(createHash('sha256').update(der).digest('hex'));
  });

  const alterations: [string, Partial<SignedTreeHead> | Record<string, unknown>][] = [
    ['treeSize', { treeSize: '1001' }],
    ['rootHash', { rootHash: createHash('sha256').update('other').digest('hex') }],
    ['timestamp', { timestamp: '2026-03-01T12:00:00.001Z' }],
    ['lastPosition', { lastPosition: '1043' }],
    ['version', { version: 2 }],
    ['algorithm', { algorithm: 'ECDSA' }],
    ['logId', { logId: 'f'.repeat(64) }],
    ['signature', { signature: Buffer.alloc(64, 7).toString('base64') }],
    ['signature encoding', { signature: `${sth.signature} ` }],
    ['a field type', { treeSize: 1000 }],
    ['a missing field', { rootHash: undefined }],
  ];

  it.each(alterations)('fails when %s is altered', (_name, change) => {
    const altered = { ...sth, ...change } as SignedTreeHead;
    expect(verifyTreeHead(altered, verifyKey)).toBe(false);
    expect(checkSignedTreeHead(altered, verifyKey).ok).toBe(false);
  });

  it('fails with any single signature bit flipped', () => {
    const signature = Buffer.from(sth.signature, 'base64');
    for (let bit = 0; bit < signature.length * 8; bit += 37) {
      const flipped = Buffer.from(signature);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(verifyTreeHead({ ...sth, signature: flipped.toString('base64') }, verifyKey)).toBe(false);
    }
  });

  it('fails with the wrong key, and says why', () => {
    const other = loadVerifyKey(generateSigningKeyPem().publicKeyPem);
    expect(verifyTreeHead(sth, other)).toBe(false);
    expect(checkSignedTreeHead(sth, other)).toEqual({ ok: false, reason: expect.stringMatching(/logId/) });
  });

  it('fails when the logId names the verifying key but another key signed', () => {
    const impostor = loadSigningKey(generateSigningKeyPem().privateKeyPem);
    const forged = { ...signTreeHead(HEAD, impostor), logId: logIdOf(verifyKey) };
    expect(checkSignedTreeHead(forged, verifyKey)).toEqual({
      ok: false,
      reason: expect.stringMatching(/signature/),
    });
  });

  it('ignores extra JSON fields, which the signature does not cover', () => {
    expect(verifyTreeHead({ ...sth, note: 'x' } as SignedTreeHead, verifyKey)).toBe(true);
  });

  it.each([
    ['a non-decimal size', { treeSize: '01' }],
    ['an uppercase root', { rootHash: HEAD.rootHash.toUpperCase() }],
    ['a local timestamp', { timestamp: '2026-03-01T12:00:00+01:00' }],
    ['an impossible date', { timestamp: '2026-13-45T12:00:00Z' }],
    ['a rolled-over date', { timestamp: '2026-02-30T12:00:00Z' }],
    ['an empty tree with a root', { treeSize: '0', lastPosition: '0' }],
  ])('refuses to sign %s', (_name, change) => {
    expect(() => signTreeHead({ ...HEAD, ...change }, signingKey)).toThrow(RangeError);
  });

  it('signs the empty tree', () => {
    const empty = signTreeHead(
      { treeSize: '0', rootHash: EMPTY_ROOT.toString('hex'), timestamp: HEAD.timestamp, lastPosition: '0' },
      signingKey,
    );
    expect(verifyTreeHead(empty, verifyKey)).toBe(true);
  });

  it('refuses to sign with a public key', () => {
    expect(() => signTreeHead(HEAD, verifyKey)).toThrow(TypeError);
  });
});

describe('key loading', () => {
  it('loads a raw seed as base64 or hex, matching RFC 8032 test 1', () => {
    const fromHex = loadSigningKey(RFC8032_SEED);
    const fromBase64 = loadSigningKey(Buffer.from(RFC8032_SEED, 'hex').toString('base64'));
    expect(publicKeyBase64(fromHex)).toBe(Buffer.from(RFC8032_PUBLIC, 'hex').toString('base64'));
    expect(publicKeyPem(fromBase64)).toBe(publicKeyPem(fromHex));
  });

  it('loads a raw public key as base64, and a seed-derived head verifies with it', () => {
    const key = loadSigningKey(RFC8032_SEED);
    const publicKey = loadVerifyKey(Buffer.from(RFC8032_PUBLIC, 'hex').toString('base64'));
    expect(verifyTreeHead(signTreeHead(HEAD, key), publicKey)).toBe(true);
    expect(logIdOf(publicKey)).toBe(logIdOf(key));
  });

  it('loads PEM both ways, and publicKeyPem round-trips', () => {
    expect(publicKeyPem(signingKey)).toBe(verifyPem);
    expect(publicKeyPem(loadVerifyKey(publicKeyPem(signingKey)))).toBe(verifyPem);
    expect(loadVerifyKey(publicKeyBase64(signingKey)).equals(verifyKey)).toBe(true);
  });

  it.each(['', 'not a key', Buffer.alloc(31).toString('base64'), 'ab'.repeat(33)])(
    'rejects a bad seed %p',
    (text) => {
      expect(() => loadSigningKey(text)).toThrow(TypeError);
    },
  );

  it('rejects a private key where a public key is expected', () => {
    expect(() => loadVerifyKey(privateKeyPem)).toThrow(/private/);
  });

  it('rejects keys that are not Ed25519', () => {
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => loadSigningKey(ec.privateKey)).toThrow(/Ed25519/);
    expect(() => loadVerifyKey(ec.publicKey)).toThrow(/Ed25519/);
  });
});
