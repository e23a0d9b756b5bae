import { randomBytes } from 'node:crypto';
import { ProtectionError } from '../errors';
import { decrypt, encrypt, isSealed, newDataKey, openField, sealField } from './field-cipher';

describe('field cipher (AES-256-GCM)', () => {
  const key = newDataKey();
  const NAME = 'زبير القطري — Zubayr';

  it('seals a field into tagged text and opens it again with the same key, source and field', () => {
    const sealed = sealField(key, 'src-1', 'name', NAME);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('Zubayr');
    expect(openField(key, 'src-1', 'name', sealed)).toBe(NAME);
  });

  it('uses a fresh nonce for every value: the same text seals differently each time', () => {
    const a = sealField(key, 'src-1', 'name', NAME);
    const b = sealField(key, 'src-1', 'name', NAME);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(10), 'base64url').subarray(0, 12)).not.toEqual(
      Buffer.from(b.slice(10), 'base64url').subarray(0, 12),
    );
  });

  it('refuses a value moved to another source or another field (associated data)', () => {
    const sealed = sealField(key, 'src-1', 'name', NAME);
    expect(() => openField(key, 'src-2', 'name', sealed)).toThrow(ProtectionError);
    expect(() => openField(key, 'src-1', 'role', sealed)).toThrow(ProtectionError);
  });

  it('refuses another key and any altered byte, with a typed error', () => {
    const sealed = sealField(key, 'src-1', 'name', NAME);
    expect(() => openField(newDataKey(), 'src-1', 'name', sealed)).toThrow(
      expect.objectContaining({ code: 'SEALED_FIELD_INVALID' }),
    );
    const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    for (const index of [0, 13, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index] = altered[index]! ^ 1;
      expect(() => openField(key, 'src-1', 'name', `sealed:v1:${altered.toString('base64url')}`)).toThrow(
        ProtectionError,
      );
    }
    expect(() => decrypt(key, Buffer.alloc(10), 'x')).toThrow(ProtectionError);
  });

  it('opens only sealed text, and takes only 32-byte keys', () => {
    expect(() => openField(key, 'src-1', 'name', NAME)).toThrow(ProtectionError);
    expect(() => encrypt(randomBytes(16), Buffer.from('x'), 'ad')).toThrow(/32 bytes/);
  });
});
