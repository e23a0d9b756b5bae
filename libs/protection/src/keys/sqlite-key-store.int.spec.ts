import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openSqliteDatabase } from '@app/event-store';
import { describeSourceKeyStore } from './conformance/key-store.conformance';
import { SqliteSourceKeyStore } from './sqlite-key-store';

describeSourceKeyStore('SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'source-keys-'));
  const dbs: Database[] = [];
  return {
    open: () => {
      const db = openSqliteDatabase(join(dir, 'newsroom.db'));
      dbs.push(db);
      return Promise.resolve(new SqliteSourceKeyStore(db));
    },
    cleanup: () => {
      for (const db of dbs) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
});

describe('SqliteSourceKeyStore', () => {
  it("leaves no trace of a deleted key's bytes in the file or its WAL", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'source-keys-'));
    const path = join(dir, 'newsroom.db');
    const db = openSqliteDatabase(path);
    try {
      const store = new SqliteSourceKeyStore(db);
      const wrappedKey = 'WRAPPED-KEY-BYTES-3f2a9c1b77e0';
      await store.insertIfAbsent({ sourceId: 's-1', wrappedKey, masterKeyId: 'mk', createdAt: 'now' });
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(path, 'latin1')).toContain(wrappedKey);
      expect(await store.delete('s-1')).toBe(true);
      const files = [path, `${path}-wal`].map((file) => {
        try {
          return readFileSync(file, 'latin1');
        } catch {
          return '';
        }
      });
      expect(files.join('')).not.toContain(wrappedKey);
      // secure_delete is switched back off for the rest of the file's writes.
      expect(db.pragma('secure_delete', { simple: true })).toBe(0);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
