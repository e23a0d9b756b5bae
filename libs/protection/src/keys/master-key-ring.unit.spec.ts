import { randomBytes } from 'node:crypto';
import { newDataKey } from '../cipher/field-cipher';
import { MasterKeyRing, masterKeyId } from './master-key-ring';

describe('MasterKeyRing', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('reads keys as hex or base64, the first current, the rest kept for rotation', () => {
    const ring = MasterKeyRing.parse(`${a.toString('hex')}\n# old one:\n${b.toString('base64')}`);
    expect(ring.currentId).toBe(masterKeyId(a));
    expect(ring.has(masterKeyId(b))).toBe(true);
    expect(MasterKeyRing.parse(`${a.toString('base64url')},${b.toString('hex')}`).currentId).toBe(
      masterKeyId(a),
    );
  });

  it('refuses a key of the wrong size without repeating it', () => {
    const short = randomBytes(16).toString('hex');
    expect(() => MasterKeyRing.parse(short)).toThrow(
      expect.objectContaining({ code: 'PROTECTION_NOT_CONFIGURED' }),
    );
    try {
      MasterKeyRing.parse(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => MasterKeyRing.parse('')).toThrow(
      expect.objectContaining({ code: 'PROTECTION_NOT_CONFIGURED' }),
    );
  });

  it('wraps a source key with the current master key, bound to the source', () => {
    const ring = new MasterKeyRing([a]);
    const dataKey = newDataKey();
    const wrapped = ring.wrap('src-1', dataKey);
    expect(wrapped.masterKeyId).toBe(masterKeyId(a));
    expect(wrapped.wrappedKey).not.toContain(dataKey.toString('base64url'));
    expect(ring.unwrap('src-1', wrapped.wrappedKey, wrapped.masterKeyId)).toEqual(dataKey);
    expect(() => ring.unwrap('src-2', wrapped.wrappedKey, wrapped.masterKeyId)).toThrow(
      expect.objectContaining({ code: 'SEALED_FIELD_INVALID' }),
    );
  });

  it('names a master key it does not hold, by id only', () => {
    const wrapped = new MasterKeyRing([b]).wrap('src-1', newDataKey());
    expect(() => new MasterKeyRing([a]).unwrap('src-1', wrapped.wrappedKey, wrapped.masterKeyId)).toThrow(
      expect.objectContaining({
        code: 'MASTER_KEY_UNKNOWN',
        message: expect.stringContaining(masterKeyId(b)),
      }),
    );
  });
});
