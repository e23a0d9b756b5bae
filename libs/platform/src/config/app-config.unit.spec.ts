import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PERMISSIONS, roleMay } from '../auth/roles';
import { parseApiKeys } from './api-keys';
import { ConfigError, loadConfig } from './app-config';

describe('configuration (API.md, Running)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads keys and roles, naming each principal without the key', () => {
    const keys = parseApiKeys(
      'alpha-key-1:reporter, beta-key-22:editor:desk-editor\n# a comment\ngamma-key-3:auditor',
    );
    expect(keys).toEqual([
      { key: 'alpha-key-1', role: 'reporter', principal: 'reporter-1' },
      { key: 'beta-key-22', role: 'editor', principal: 'desk-editor' },
      { key: 'gamma-key-3', role: 'auditor', principal: 'auditor-3' },
    ]);
  });

  it.each([
    ['an unknown role', 'alpha-key-1:publisher', /unknown role "publisher"/],
    ['a missing role', 'alpha-key-1', /not "key:role"/],
    ['a short key', 'short:admin', /shorter than 8/],
    ['a repeated key', 'alpha-key-1:admin,alpha-key-1:reporter', /repeats/],
  ])('refuses %s with a message that says what to fix', (_name, text, message) => {
    expect(() => parseApiKeys(text)).toThrow(ConfigError);
    expect(() => parseApiKeys(text)).toThrow(message);
  });

  it('refuses to start without keys, except for the local defaults on the embedded store', () => {
    expect(() => loadConfig({ NEWSROOM_DB: join(dir, 'n.db') })).toThrow(/no API keys/);
    const local = loadConfig({ NEWSROOM_DB: join(dir, 'n.db') }, { localDefaults: true });
    expect(local.apiKeys).toHaveLength(1);
    expect(local.apiKeys[0]).toMatchObject({ role: 'admin', principal: 'local-admin' });
    expect(local.demo).toBe(true);
    // Kept beside the database, readable by its owner only, and the same on the next start.
    const file = local.generatedLocalKey!.file;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(local.apiKeys[0]!.key);
    expect(loadConfig({ NEWSROOM_DB: join(dir, 'n.db') }, { localDefaults: true }).apiKeys[0]!.key).toBe(
      local.apiKeys[0]!.key,
    );
    expect(() =>
      loadConfig(
        { NEWSROOM_DB: join(dir, 'n.db'), EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://x' },
        { localDefaults: true },
      ),
    ).toThrow(/no API keys/);
  });

  it('reads a key file too, and defaults the demo off outside the README start command', () => {
    const keyFile = join(dir, 'keys');
    writeFileSync(keyFile, 'file-key-123:admin:ops\n');
    const config = loadConfig({ NEWSROOM_API_KEYS_FILE: keyFile, NEWSROOM_DB: join(dir, 'n.db') });
    expect(config.apiKeys.map((k) => k.principal)).toEqual(['ops']);
    expect(config.demo).toBe(false);
    expect(existsSync(join(dir, 'local-admin.key'))).toBe(false);
  });

  it.each([
    [{ EVENT_STORE: 'mongo' }, /EVENT_STORE must be one of/],
    [{ EVENT_STORE: 'postgres' }, /needs DATABASE_URL/],
    [{ PORT: 'eighty' }, /is not a port/],
    [{ NEWSROOM_DEMO: 'maybe' }, /must be on or off/],
    [{ NEWSROOM_SQLITE_WRITER_THREAD: 'sometimes' }, /NEWSROOM_SQLITE_WRITER_THREAD must be on or off/],
    [{ EVENT_STORE: 'kurrentdb' }, /needs KURRENTDB_URL/],
    [
      { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://db:2113', KURRENTDB_STREAM_PREFIX: 'a-b' },
      /KURRENTDB_STREAM_PREFIX/,
    ],
  ])('refuses %p', (env, message) => {
    expect(() => loadConfig({ NEWSROOM_API_KEYS: 'valid-key-1:admin', ...env })).toThrow(message);
  });

  it('writes SQLite on a thread of its own unless NEWSROOM_SQLITE_WRITER_THREAD is off', () => {
    const env = { NEWSROOM_API_KEYS: 'valid-key-1:admin' };
    expect(loadConfig(env).sqliteWriterThread).toBe(true);
    expect(loadConfig({ ...env, NEWSROOM_SQLITE_WRITER_THREAD: 'off' }).sqliteWriterThread).toBe(false);
  });

  it('reads the KurrentDB connection and stream prefix', () => {
    const env = {
      NEWSROOM_API_KEYS: 'valid-key-1:admin',
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://db:2113',
    };
    expect(loadConfig(env)).toMatchObject({
      kurrentDbUrl: 'kurrentdb://db:2113',
      kurrentDbStreamPrefix: undefined,
    });
    expect(loadConfig({ ...env, KURRENTDB_STREAM_PREFIX: 'staging_1' }).kurrentDbStreamPrefix).toBe(
      'staging_1',
    );
  });
});

describe('roles (API.md, Access)', () => {
  it.each([
    ['reporter', ['read', 'write']],
    ['editor', ['read', 'write', 'verdict', 'sources:identity']],
    ['auditor', ['read', 'audit']],
    ['admin', ['read', 'write', 'verdict', 'audit', 'sources:identity', 'sources:shred', 'keys:rotate']],
  ] as const)('%s may exactly %p', (role, allowed) => {
    for (const permission of PERMISSIONS) {
      expect(roleMay(role, permission)).toBe((allowed as readonly string[]).includes(permission));
    }
  });
});

describe('configuration: master keys of protected sources', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hex = 'ab'.repeat(32);
  const base64 = Buffer.alloc(32, 7).toString('base64');
  const base = { NEWSROOM_API_KEYS: 'alpha-key-1:admin' };

  it('reads NEWSROOM_MASTER_KEY, then the lines of NEWSROOM_MASTER_KEY_FILE', () => {
    const file = join(dir, 'master.keys');
    writeFileSync(file, `# retired after rotation\n${base64}\n`);
    const config = loadConfig({ ...base, NEWSROOM_MASTER_KEY: hex, NEWSROOM_MASTER_KEY_FILE: file });
    expect(config.masterKeys?.split('\n').map((s) => s.trim())).toEqual([
      hex,
      `# retired after rotation`,
      base64,
      '',
    ]);
  });

  it('refuses a malformed key without echoing it, and an unreadable file', () => {
    const bad = 'cd'.repeat(16);
    expect(() => loadConfig({ ...base, NEWSROOM_MASTER_KEY: bad })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, NEWSROOM_MASTER_KEY: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
    expect(() => loadConfig({ ...base, NEWSROOM_MASTER_KEY_FILE: join(dir, 'missing') })).toThrow(
      /cannot be read/,
    );
  });

  it('has none unless configured, except a local one that `npm start` keeps beside the embedded database', () => {
    const db = join(dir, 'newsroom.db');
    expect(loadConfig({ ...base, NEWSROOM_DB: db }).masterKeys).toBeUndefined();
    const local = loadConfig({ NEWSROOM_DB: db }, { localDefaults: true });
    const file = join(dir, 'local-master.key');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(local.masterKeys).toBe(readFileSync(file, 'utf8').trim());
    expect(loadConfig({ NEWSROOM_DB: db }, { localDefaults: true }).masterKeys).toBe(local.masterKeys);
  });
});
