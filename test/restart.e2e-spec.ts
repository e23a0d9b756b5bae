import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestApp } from './support/test-app';

/**
 * What survives a stop: everything acknowledged, and the idempotency of requests in flight.
 * Inherently about the SQLite file (it edits the file between runs), so it stays on SQLite under
 * E2E_EVENT_STORE=postgres; test/idempotency.e2e-spec.ts covers a stopped replica on PostgreSQL.
 */
const SQLITE = { EVENT_STORE: 'sqlite' };

describe('a restart on the same SQLite file', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-restart-'));
    dbPath = join(dir, 'newsroom.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write and the read models, and does not load the demo over data', async () => {
    const first = await startTestApp(SQLITE, { dbPath });
    const created = await first.post('/sources', {
      name: 'Syrian Observatory for Human Rights',
      kind: 'organization',
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestApp({ ...SQLITE, NEWSROOM_DEMO: 'on' }, { dbPath });
    const read = await second.get(`/sources/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Syrian Observatory for Human Rights');
    expect((await second.get('/health')).body).toMatchObject({ head: '1', projected: '1' });
    await second.close();
  });

  it('completes a key left pending after its command committed, and releases one whose command did not', async () => {
    const first = await startTestApp(SQLITE, { dbPath });
    const body = { name: 'Raqqa tribal elders', kind: 'group' };
    const committed = await first.post('/sources', body, { headers: { 'idempotency-key': 'committed-key' } });
    expect(committed.status).toBe(201);
    await first.close();

    // As if the process had died between the append and recording the answer, and mid-way through another request.
    const db = new Database(dbPath);
    db.prepare(
      `UPDATE idempotency_keys SET state = 'pending', response = NULL WHERE idempotency_key = 'committed-key'`,
    ).run();
    db.prepare(
      `INSERT INTO idempotency_keys (key_digest, idempotency_key, principal, request_hash, state, created_at)
       SELECT key_digest, 'lost-key', principal, 'x', 'pending', created_at FROM idempotency_keys WHERE idempotency_key = 'committed-key'`,
    ).run();
    db.close();

    const second = await startTestApp(SQLITE, { dbPath });
    const head = (await second.get('/health')).body.head;
    const retry = await second.post('/sources', body, { headers: { 'idempotency-key': 'committed-key' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(committed.body);
    expect((await second.get('/health')).body.head).toBe(head);

    const lost = await second.post(
      '/sources',
      { name: 'Local sources', kind: 'anonymous' },
      { headers: { 'idempotency-key': 'lost-key' } },
    );
    expect(lost.status).toBe(201);
    await second.close();
  });
});
