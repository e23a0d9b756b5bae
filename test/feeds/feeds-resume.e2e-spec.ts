import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropSchema,
  TEST_DATABASE_URL,
  testPool,
  uniqueSchemaName,
} from '../../libs/event-store/src/postgres/testing/test-database';
import { eventually, follow, type Received } from '../support/sse';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * Resuming a feed with Last-Event-ID: every event exactly once, in order, across a client that
 * reconnects mid-stream and across an API restart (the same SQLite file, or under
 * E2E_EVENT_STORE=postgres the same schema, kept across the restart and dropped after).
 */
const onPostgres = process.env.E2E_EVENT_STORE === 'postgres';

jest.setTimeout(60_000);

describe('resuming an SSE feed', () => {
  let dir: string;
  const schemas: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-feeds-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (schemas.length === 0) return;
    const admin = testPool({ max: 1 });
    try {
      for (const schema of schemas) await dropSchema(admin, schema);
    } finally {
      await admin.end();
    }
  });
  /** One log per test, kept across its restarts; a short reconnection delay (the SSE retry field). */
  const logFor = (name: string) => {
    const dbPath = join(dir, `${name}.db`);
    if (!onPostgres) return { dbPath, env: { EVENT_STORE: 'sqlite', SSE_RETRY_MS: '100' } };
    const schema = uniqueSchemaName('e2e_feeds');
    schemas.push(schema);
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: schema };
    return { dbPath, env: { ...env, SSE_RETRY_MS: '100' } };
  };

  const register = async (api: TestApp, count: number): Promise<string[]> => {
    const positions: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await api.post('/sources', { name: `Source ${i}`, kind: 'organization' });
      expect(res.status).toBe(201);
      positions.push(res.body.position as string);
    }
    return positions;
  };
  /** Every position from 1 to the last, once, in order: no gap, no duplicate. */
  const expectExactlyOnce = (received: Received[], last: string) => {
    const ids = received.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: Number(last) }, (_, i) => String(i + 1)));
    expect(received.map((r) => r.data.position)).toEqual(ids);
  };

  it('a client that left mid-stream resumes after its Last-Event-ID, each event once', async () => {
    const { env, dbPath } = logFor('mid-stream');
    const api = await startTestApp(env, { dbPath });
    try {
      const positions = await register(api, 12);
      const first = follow(`${api.url}/events/stream?after=0`, KEYS.auditor, ['SourceRegistered']);
      // Leaves after the fifth message, whatever else the last chunk held.
      first.source.addEventListener('SourceRegistered', (m) => m.lastEventId === '5' && first.source.close());
      await eventually('five events', () => first.source.readyState === first.source.CLOSED);
      expect(first.received.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);

      // A reconnecting client keeps its URL (?after=0) and sends Last-Event-ID, which wins.
      const second = follow(`${api.url}/events/stream?after=0`, KEYS.auditor, ['SourceRegistered'], {
        lastEventId: '5',
      });
      const more = await register(api, 3);
      await eventually('the rest', () => second.received.length >= positions.length + more.length - 5);
      second.source.close();
      expect(second.connections).toEqual(['5']);
      expectExactlyOnce([...first.received, ...second.received], more[more.length - 1]!);
    } finally {
      await api.close();
    }
  });

  it('an EventSource follows the log across an API restart, reconnecting with Last-Event-ID', async () => {
    const { env, dbPath } = logFor('restart');
    const before = await startTestApp(env, { dbPath });
    const port = Number(new URL(before.url).port);
    let after: TestApp | undefined;
    const feed = follow(`${before.url}/events/stream?after=0`, KEYS.admin, ['SourceRegistered']);
    try {
      const live = await register(before, 4);
      await eventually('the first events', () => feed.received.length === live.length);
      // Stopping the API ends the feed (a feed-closed message, then the end of the response).
      const closed = new Promise<string>((resolve) =>
        feed.source.addEventListener('feed-closed', (m) => resolve(JSON.parse(m.data as string).reason)),
      );
      await before.close();
      expect(await closed).toBe('shutdown');
      // Client and servers share this process: let it see the old server's connections end (the
      // feed's, and the idle ones fetch keeps) before the new server starts, or fetch may send a
      // request on a connection whose end it has not read yet. Separate processes need nothing.
      await eventually(
        'the client saw the feed end',
        () => feed.source.readyState === feed.source.CONNECTING,
      );
      await new Promise((resolve) => setImmediate(resolve));

      after = await startTestApp(env, { dbPath, port });
      const more = await register(after, 4);
      await eventually(
        'the events after the restart',
        () => feed.received.length === live.length + more.length,
      );
      // The first connection, then at least one refused while the API was down, then the resumed one.
      expect(feed.connections[0]).toBeNull();
      expect(feed.connections.slice(1).every((id) => id === live[live.length - 1])).toBe(true);
      expect(feed.connections.length).toBeGreaterThanOrEqual(2);
      expectExactlyOnce(feed.received, more[more.length - 1]!);
    } finally {
      feed.source.close();
      await after?.close();
    }
  });
});
