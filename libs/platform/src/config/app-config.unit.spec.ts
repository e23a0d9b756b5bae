import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roleMay } from '../auth/roles';
import { ConfigError, loadConfig, parseApiKeys } from './app-config';

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
    [{ EVENT_STORE: 'kurrentdb' }, /needs KURRENTDB_URL/],
    [
      { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://db:2113', KURRENTDB_STREAM_PREFIX: 'a-b' },
      /KURRENTDB_STREAM_PREFIX/,
    ],
  ])('refuses %p', (env, message) => {
    expect(() => loadConfig({ NEWSROOM_API_KEYS: 'valid-key-1:admin', ...env })).toThrow(message);
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
    ['editor', ['read', 'write', 'verdict']],
    ['auditor', ['read', 'audit']],
    ['admin', ['read', 'write', 'verdict', 'audit']],
  ] as const)('%s may exactly %p', (role, allowed) => {
    for (const permission of ['read', 'write', 'verdict', 'audit'] as const) {
      expect(roleMay(role, permission)).toBe((allowed as readonly string[]).includes(permission));
    }
  });
});
