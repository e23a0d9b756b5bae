import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './auditor/support/auditor-harness';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The master key over HTTP: rotation re-wraps the source keys without touching the log, and a
 * server without one refuses protected sources instead of storing them in the clear. On a SQLite
 * file named here, whatever E2E_EVENT_STORE says: the tests restart the app on the same store
 * (the key store's PostgreSQL adapter passes the same conformance suite, rotation included).
 */
describe('master keys of protected sources', () => {
  const hex = () => randomBytes(32).toString('hex');
  let dir: string;
  beforeAll(() => {
    dir = tempDir('newsroom-master-key-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (dbPath: string, masterKey: string) =>
    startTestApp({ EVENT_STORE: 'sqlite', NEWSROOM_MASTER_KEY: masterKey }, { dbPath });

  it('rotates the master key without rewriting the log; the old key is then no longer needed', async () => {
    const dbPath = join(dir, 'rotation.db');
    const [oldKey, newKey] = [hex(), hex()];
    let api: TestApp = await start(dbPath, oldKey);
    const id = (
      await api.post(
        '/sources',
        { name: 'Umm Hamza the nurse', kind: 'person', protected: true },
        { as: 'reporter' },
      )
    ).body.id as string;
    const head = (await api.get('/health')).body.head as string;
    const events = JSON.stringify((await api.get('/events?after=0&limit=100', 'auditor')).body.events);
    await api.close();

    api = await start(dbPath, `${newKey},${oldKey}`);
    expect((await api.post('/admin/master-key/rotation', {}, { as: 'editor' })).status).toBe(403);
    const rotated = await api.post('/admin/master-key/rotation', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ rewrapped: 1, masterKeyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((await api.post('/admin/master-key/rotation', {})).body.rewrapped).toBe(0);
    await api.close();

    api = await start(dbPath, newKey);
    try {
      expect((await api.get(`/sources/${id}`, 'editor')).body.name).toBe('Umm Hamza the nurse');
      expect((await api.get('/health')).body.head).toBe(head);
      expect(JSON.stringify((await api.get('/events?after=0&limit=100', 'auditor')).body.events)).toBe(
        events,
      );
    } finally {
      await api.close();
    }

    // With only the retired key, the identity cannot be opened: editors see the placeholder, nothing fails.
    api = await start(dbPath, oldKey);
    try {
      const source = await api.get(`/sources/${id}`, 'editor');
      expect(source.status).toBe(200);
      expect(source.body.name).toMatch(/^Protected source [0-9a-f]{8}$/);
    } finally {
      await api.close();
    }
  });

  it('without a master key, refuses a protected source (503) and stores nothing of it', async () => {
    const api = await start(join(dir, 'unconfigured.db'), '');
    try {
      const head = (await api.get('/health')).body.head as string;
      const refused = await api.post('/sources', { name: 'Abu Leila', kind: 'person', protected: true });
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('PROTECTION_NOT_CONFIGURED');
      expect((await api.get('/health')).body.head).toBe(head);
      expect((await api.post('/sources', { name: 'SDF', kind: 'organization' })).status).toBe(201);
    } finally {
      await api.close();
    }
  });
});
