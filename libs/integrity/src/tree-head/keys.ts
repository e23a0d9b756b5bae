import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/*
 * Ed25519 keys for signing tree heads. Besides PEM, a bare 32-byte seed or public key is accepted so a
 * key fits in one environment variable; it is wrapped in the fixed ASN.1 prefix of RFC 8410 (sections
 * 7 and 4) to get PKCS#8 / SPKI DER, which node:crypto imports without any third-party code.
 */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_SIZE = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function assertEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  return key;
}

/** 32 raw bytes from hex or (strict, padded) base64; anything else is a configuration error. */
function rawKeyBytes(text: string, what: string): Buffer {
  const trimmed = text.trim();
  const bytes = HEX_KEY.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : BASE64.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (bytes.length !== RAW_KEY_SIZE) {
    throw new TypeError(`${what} must be PEM, or ${RAW_KEY_SIZE} bytes as base64 or hex`);
  }
  return bytes;
}

function isPem(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/** The signing key: a PKCS#8 PEM, or a base64/hex 32-byte Ed25519 seed. */
export function loadSigningKey(pemOrBase64Seed: string): KeyObject {
  if (isPem(pemOrBase64Seed)) return assertEd25519(createPrivateKey(pemOrBase64Seed));
  const seed = rawKeyBytes(pemOrBase64Seed, 'an Ed25519 seed');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  return assertEd25519(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

/**
 * The verifying key: an SPKI PEM, or the raw 32-byte public key as base64 (or hex). A private key is
 * refused, so an auditor's configuration can never end up holding the log's signing secret.
 */
export function loadVerifyKey(pemOrBase64: string): KeyObject {
  if (isPem(pemOrBase64)) {
    if (pemOrBase64.includes('PRIVATE KEY')) throw new TypeError('expected a public key, got a private key');
    return assertEd25519(createPublicKey(pemOrBase64));
  }
  const raw = rawKeyBytes(pemOrBase64, 'an Ed25519 public key');
  const der = Buffer.concat([SPKI_ED25519_PREFIX, raw]);
  return assertEd25519(createPublicKey({ key: der, format: 'der', type: 'spki' }));
}

/** The public half of a key (itself if already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

export function publicKeyPem(key: KeyObject): string {
  return publicKeyOf(assertEd25519(key)).export({ type: 'spki', format: 'pem' }).toString();
}

/** The raw 32-byte public key, base64: the compact form loadVerifyKey also accepts. */
export function publicKeyBase64(key: KeyObject): string {
  const der = publicKeyOf(assertEd25519(key)).export({ type: 'spki', format: 'der' });
  return der.subarray(SPKI_ED25519_PREFIX.length).toString('base64');
}

/** Log ID: SHA-256 of the public key's SPKI DER, hex (the RFC 6962 3.2 LogID, as hex). */
export function logIdOf(key: KeyObject): string {
  const der = publicKeyOf(assertEd25519(key)).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

export function generateSigningKeyPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
