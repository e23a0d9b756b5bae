import { randomBytes } from 'node:crypto';
import { openSqliteDatabase } from '@app/event-store';
import { MasterKeyRing, masterKeyId } from './master-key-ring';
import { SourceKeys } from './source-keys';
import { SqliteSourceKeyStore } from './sqlite-key-store';

describe('SourceKeys', () => {
  const oldMaster = randomBytes(32);
  const newMaster = randomBytes(32);
  const store = new SqliteSourceKeyStore(openSqliteDatabase(':memory:'));

  it('creates a key once per source and gives the same one back', async () => {
    const keys = new SourceKeys(store, new MasterKeyRing([oldMaster]));
    const key = await keys.createOrGet('s-1');
    expect(key).toHaveLength(32);
    expect(await keys.createOrGet('s-1')).toEqual(key);
    expect(await keys.get('s-1')).toEqual(key);
    expect((await store.find('s-1'))?.wrappedKey).not.toContain(key.toString('base64url'));
  });

  it('forgets a shredded key, even without a master key', async () => {
    const keys = new SourceKeys(store, new MasterKeyRing([oldMaster]));
    await keys.createOrGet('s-2');
    expect(await new SourceKeys(store, undefined).shred('s-2')).toBe(true);
    expect(await keys.get('s-2')).toBeUndefined();
  });

  it('rotates the master key: re-wraps every key, which then opens with the new master key alone', async () => {
    const before = await new SourceKeys(store, new MasterKeyRing([oldMaster])).get('s-1');
    const rotating = new SourceKeys(store, new MasterKeyRing([newMaster, oldMaster]));
    expect(await rotating.rotate()).toEqual({ rewrapped: 1, masterKeyId: masterKeyId(newMaster) });
    expect(await rotating.rotate()).toEqual({ rewrapped: 0, masterKeyId: masterKeyId(newMaster) });
    expect(await new SourceKeys(store, new MasterKeyRing([newMaster])).get('s-1')).toEqual(before);
    await expect(new SourceKeys(store, new MasterKeyRing([oldMaster])).get('s-1')).rejects.toMatchObject({
      code: 'MASTER_KEY_UNKNOWN',
    });
  });

  it('refuses to create or open keys without a master key', async () => {
    const keys = new SourceKeys(store, undefined);
    expect(keys.configured).toBe(false);
    await expect(keys.createOrGet('s-3')).rejects.toMatchObject({ code: 'PROTECTION_NOT_CONFIGURED' });
  });
});
