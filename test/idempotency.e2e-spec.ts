import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore, WrongExpectedVersionError } from '@app/event-store';
import type { Pool } from 'pg';
import type { IdempotencyStore } from '../apps/newsroom-api/src/idempotency/idempotency.port';
import { IDEMPOTENCY_STORE } from '../apps/newsroom-api/src/persistence/persistence.tokens';
import {
  TEST_DATABASE_URL,
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../libs/event-store/src/postgres/testing/test-database';
import { statementBody } from './support/bodies';
import { KEYS, startTestApp, type TestApp } from './support/test-app';

const key = () => ({ 'idempotency-key': `k-${randomUUID()}` });

async function countEvents(api: TestApp, type: string): Promise<number> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  let count = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length === 0) return count;
    count += page.filter((e) => e.type === type).length;
    after = page.at(-1)!.position;
  }
}

describe('Idempotency-Key', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('stores a 400 for a body that failed validation, so the key cannot be reused for another body', async () => {
    const headers = key();
    const invalid = await api.post('/sources', { name: '', kind: 'planet' }, { headers });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    const again = await api.post('/sources', { kind: 'planet', name: '' }, { headers });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(invalid.body);
    const other = await api.post(
      '/sources',
      { name: 'Raqqa Civil Council', kind: 'organization' },
      { headers },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('treats a reordered query string as the same request, and a different query as another', async () => {
    const headers = key();
    const body = { name: 'Raqqa tribal elders', kind: 'group' };
    const first = await api.post('/sources?b=2&a=1', body, { headers });
    expect(first.status).toBe(201);
    const reordered = await api.post('/sources?a=1&b=2', body, { headers });
    expect(reordered.status).toBe(200);
    expect(reordered.body).toEqual(first.body);
    expect((await api.post('/sources?a=1&b=3', body, { headers })).status).toBe(422);
  });

  it('releases the key after a lost race (409 WRONG_EXPECTED_VERSION): the same request retried succeeds', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const headers = key();
    const body = { name: 'Syrian Observatory for Human Rights', kind: 'organization' };
    const spy = jest
      .spyOn(store, 'append')
      .mockImplementation((streamId) => Promise.reject(new WrongExpectedVersionError(streamId, 0, 1)));
    let lost;
    try {
      lost = await api.post('/sources', body, { headers });
    } finally {
      spy.mockRestore();
    }
    expect(lost.status).toBe(409);
    expect(lost.body.code).toBe('WRONG_EXPECTED_VERSION');
    const retry = await api.post('/sources', body, { headers });
    expect(retry.status).toBe(201);
    const replay = await api.post('/sources', body, { headers });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(retry.body);
  });

  it('answers a duplicate in flight with 409 and does not store it: the retry replays the first answer', async () => {
    const headers = key();
    const body = { name: 'Local sources', kind: 'anonymous' };
    const [a, b] = await Promise.all([
      api.post('/sources', body, { headers }),
      api.post('/sources', body, { headers }),
    ]);
    // The second either met the first in flight (409) or arrived after it completed (replay).
    expect([
      [200, 201],
      [201, 409],
    ]).toContainEqual([a.status, b.status].sort());
    const first = a.status === 201 ? a : b;
    const retry = await api.post('/sources', body, { headers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });
});

/** Two API keys of one principal, as during a key rotation. */
const OLD_KEY = 'wire-desk-key-2025';
const NEW_KEY = 'wire-desk-key-2026';
const ROTATION_ENV = {
  NEWSROOM_API_KEYS: `${OLD_KEY}:reporter:wire-desk,${NEW_KEY}:reporter:wire-desk,${KEYS.admin}:admin:admin-test`,
};
const as = (apiKey: string, idempotencyKey: string) => ({
  as: 'nobody' as const,
  headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': idempotencyKey },
});

/**
 * A process stops with two keys of the old API key pending: one whose command committed (it died
 * before recording the answer), one whose command did not, under an Idempotency-Key that the new
 * API key of the same principal used for the same body and committed. `next` (a restarted process,
 * or another replica) must complete the first from the log and release the second: matched by
 * API-key digest and request fingerprint, never by principal name.
 */
async function rotationScenario(first: TestApp, next: () => Promise<TestApp>): Promise<void> {
  const body = { name: 'Raqqa Internal Security Forces', kind: 'organization' };
  const other = { name: 'Raqqa Civil Council', kind: 'organization' };
  const byNewKey = await first.post('/sources', body, as(NEW_KEY, 'shared-key'));
  expect(byNewKey.status).toBe(201);

  const keys = first.app.get<IdempotencyStore>(IDEMPOTENCY_STORE);
  const events = first.app.get<EventStore>(EVENT_STORE);
  // Dies after the append, before recording the answer.
  const complete = jest.spyOn(keys, 'complete').mockResolvedValueOnce(false);
  const committed = await first.post('/sources', other, as(OLD_KEY, 'committed-key'));
  complete.mockRestore();
  expect(committed.status).toBe(201);
  // Dies before its append, before releasing the key.
  const append = jest.spyOn(events, 'append').mockRejectedValueOnce(new Error('process killed'));
  const release = jest.spyOn(keys, 'release').mockResolvedValueOnce(false);
  const died = await first.post('/sources', body, as(OLD_KEY, 'shared-key'));
  append.mockRestore();
  release.mockRestore();
  expect(died.status).toBe(500);
  await first.close();

  const api = await next();
  const head = (await api.get('/health')).body.head as string;
  const replay = await api.post('/sources', other, as(OLD_KEY, 'committed-key'));
  expect(replay.status).toBe(200);
  expect(replay.body).toEqual(committed.body);
  expect((await api.get('/health')).body.head).toBe(head);

  const rerun = await api.post('/sources', body, as(OLD_KEY, 'shared-key'));
  expect(rerun.status).toBe(201);
  expect(rerun.body.id).not.toBe(byNewKey.body.id);
  expect((await api.post('/sources', body, as(NEW_KEY, 'shared-key'))).body).toEqual(byNewKey.body);
  await api.close();
}

describe('a restart on the same SQLite file resolves pending keys by API-key digest and fingerprint', () => {
  it('completes the committed one and releases the other, though both API keys are one principal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-idem-'));
    const dbPath = join(dir, 'newsroom.db');
    // About restarting on one SQLite file: stays on SQLite under E2E_EVENT_STORE=postgres.
    const env = { ...ROTATION_ENV, EVENT_STORE: 'sqlite' };
    try {
      await rotationScenario(await startTestApp(env, { dbPath }), () => startTestApp(env, { dbPath }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithPostgres('Idempotency-Key across replicas on one PostgreSQL schema', () => {
  let admin: Pool;
  let schema: string;
  const apps: TestApp[] = [];
  const replica = async (env: Record<string, string> = {}) => {
    const app = await startTestApp({
      EVENT_STORE: 'postgres',
      DATABASE_URL: TEST_DATABASE_URL,
      NEWSROOM_PG_SCHEMA: schema,
      ...env,
    });
    apps.push(app);
    return app;
  };
  beforeAll(() => {
    admin = testPool({ max: 1 });
  });
  beforeEach(() => {
    schema = uniqueSchemaName('e2e_idem');
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    await dropSchema(admin, schema);
  });
  afterAll(() => admin.end());

  it('records the same key and body sent to two replicas once, raced or in turn', async () => {
    const [a, b] = [await replica(), await replica()];
    const source = await a.post('/sources', { name: 'Raqqa Civil Council', kind: 'organization' });
    const claim = await a.post('/claims', {
      storyId: 'story-idem',
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind: 'boolean',
    });
    const path = `/claims/${claim.body.id}/statements`;
    const body = statementBody(source.body.id, 'affirms', true);

    const headers = key();
    const raced = await Promise.all([a.post(path, body, { headers }), b.post(path, body, { headers })]);
    expect([
      [200, 201],
      [201, 409],
    ]).toContainEqual(raced.map((r) => r.status).sort());
    const winner = raced.find((r) => r.status === 201)!;
    for (const app of [a, b]) {
      const retry = await app.post(path, body, { headers });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(winner.body);
    }

    const inTurn = key();
    const first = await a.post(path, statementBody(source.body.id, 'denies'), { headers: inTurn });
    expect(first.status).toBe(201);
    const second = await b.post(path, statementBody(source.body.id, 'denies'), { headers: inTurn });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);

    expect(await countEvents(a, 'StatementReported')).toBe(2);
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".idempotency_keys`,
    );
    expect(rows[0]?.n).toBe('2');
  });

  it('answers 409 on one replica while the other runs the key, and replays once it is done', async () => {
    const [a, b] = [await replica(), await replica()];
    const store = a.app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    let started!: () => void;
    const inAppend = new Promise<void>((resolve) => (started = resolve));
    const slow = jest.spyOn(store, 'append').mockImplementationOnce(async (...args) => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return append(...args);
    });
    const headers = key();
    const body = { name: 'Kurdish Red Crescent', kind: 'organization' };
    const first = a.post('/sources', body, { headers });
    await inAppend;
    const meanwhile = await b.post('/sources', body, { headers });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.code).toBe('IDEMPOTENT_REQUEST_IN_FLIGHT');
    expect((await first).status).toBe(201);
    slow.mockRestore();
    const retry = await b.post('/sources', body, { headers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual((await first).body);
    expect(await countEvents(b, 'SourceRegistered')).toBe(1);
  });

  it('lets another replica resolve the keys a stopped replica left pending, by digest and fingerprint', async () => {
    const survivor = await replica(ROTATION_ENV);
    const stopping = await replica(ROTATION_ENV);
    await rotationScenario(stopping, () => Promise.resolve(survivor));
  });

  it('resolves them at the start of a new replica too', async () => {
    const first = await replica(ROTATION_ENV);
    await rotationScenario(first, () => replica(ROTATION_ENV));
  });
});
