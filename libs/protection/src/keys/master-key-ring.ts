import { createHash } from 'node:crypto';
import { ProtectionError } from '../errors';
import { decrypt, encrypt, KEY_BYTES } from '../cipher/field-cipher';

/**
 * The master keys that wrap every source's key: the first is current (new keys are wrapped with
 * it), the others are earlier ones kept only until a rotation has re-wrapped what they wrapped.
 * The keys never leave this object: not in errors, not in logs, not in the key store (which keeps
 * only a key's id, a digest).
 */
export class MasterKeyRing {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new ProtectionError('PROTECTION_NOT_CONFIGURED', 'no master key');
    this.keys = keys.map((key) => {
      if (key.length !== KEY_BYTES) throw new Error(`a master key is ${KEY_BYTES} bytes`);
      return { id: masterKeyId(key), key };
    });
  }

  /** `key[,key…]` or one per line (a file), each 32 bytes as 64 hex digits or base64/base64url. */
  static parse(text: string): MasterKeyRing {
    const items = text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !s.startsWith('#'));
    return new MasterKeyRing(items.map((item, index) => decodeKey(item, index + 1)));
  }

  get currentId(): string {
    return this.keys[0]!.id;
  }

  has(id: string): boolean {
    return this.keys.some((k) => k.id === id);
  }

  /** The source key wrapped with the current master key, bound to its source. */
  wrap(sourceId: string, dataKey: Buffer): { wrappedKey: string; masterKeyId: string } {
    const current = this.keys[0]!;
    const wrapped = encrypt(current.key, dataKey, wrapAssociatedData(sourceId));
    return { wrappedKey: wrapped.toString('base64url'), masterKeyId: current.id };
  }

  unwrap(sourceId: string, wrappedKey: string, masterKeyId: string): Buffer {
    const master = this.keys.find((k) => k.id === masterKeyId);
    if (!master) {
      throw new ProtectionError(
        'MASTER_KEY_UNKNOWN',
        `the key of source ${sourceId} is wrapped by master key ${masterKeyId}, which is not configured`,
      );
    }
    return decrypt(master.key, Buffer.from(wrappedKey, 'base64url'), wrapAssociatedData(sourceId));
  }
}

/** A public name for a master key: a digest, so the key store and logs can say which one. */
export const masterKeyId = (key: Buffer): string =>
  createHash('sha256').update('newsroom/master-key-id/v1\u0000').update(key).digest('hex').slice(0, 16);

const wrapAssociatedData = (sourceId: string): string => `newsroom/source-key/v1\u0000${sourceId}`;

function decodeKey(text: string, position: number): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
  if (key.length !== KEY_BYTES) {
    // Never echo the text: it is (a mistyped) key.
    throw new ProtectionError(
      'PROTECTION_NOT_CONFIGURED',
      `master key #${position} is not ${KEY_BYTES} bytes (64 hex digits or base64)`,
    );
  }
  return key;
}
