import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ProtectionError } from '../errors';

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The associated data binds a ciphertext to what
 * it is (a purpose, the owner's id, the field), so a sealed value copied into another source's
 * event, or into another field, fails to open instead of showing the wrong identity.
 */
const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** The text form of a sealed field in an event: `sealed:v1:` + base64url(nonce ‖ ciphertext ‖ tag). */
export const SEALED_PREFIX = 'sealed:v1:';

export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(SEALED_PREFIX);

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function encrypt(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  requireKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws SEALED_FIELD_INVALID when the key, the associated data or a byte is wrong. */
export function decrypt(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  requireKey(key);
  if (sealed.length < NONCE_BYTES + TAG_BYTES) {
    throw new ProtectionError('SEALED_FIELD_INVALID', 'sealed value is too short');
  }
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new ProtectionError('SEALED_FIELD_INVALID', 'sealed value does not open with this key');
  }
}

/** What a source's identity field is bound to: the source and the field's name. */
export const fieldAssociatedData = (sourceId: string, field: string): string =>
  `newsroom/source-identity/v1\u0000${sourceId}\u0000${field}`;

export function sealField(key: Buffer, sourceId: string, field: string, plaintext: string): string {
  const sealed = encrypt(key, Buffer.from(plaintext, 'utf8'), fieldAssociatedData(sourceId, field));
  return SEALED_PREFIX + sealed.toString('base64url');
}

export function openField(key: Buffer, sourceId: string, field: string, value: string): string {
  if (!isSealed(value)) throw new ProtectionError('SEALED_FIELD_INVALID', `${field} is not sealed`);
  const sealed = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
  return decrypt(key, sealed, fieldAssociatedData(sourceId, field)).toString('utf8');
}

function requireKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`an AES-256 key is ${KEY_BYTES} bytes, not ${key.length}`);
}
