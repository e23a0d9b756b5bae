import Database from 'better-sqlite3';
import { CLM, RAQQA_STORY_ID } from '@app/claims';
import type { Pool } from 'pg';
import {
  TEST_DATABASE_URL,
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../libs/event-store/src/postgres/testing/test-database';
import { runAudit } from './auditor/support/auditor-harness';
import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * EVENT_STORE=postgres over HTTP: the log and the idempotency keys in a fresh PostgreSQL schema,
 * read models and checkpoint in each replica's own SQLite file.
 */
describeWithPostgres('the API on the PostgreSQL event store', () => {
  let admin: Pool;
  const schemas: string[] = [];
  const apps: TestApp[] = [];

  function freshSchema(): string {
    const schema = uniqueSchemaName('e2e');
    schemas.push(schema);
    return schema;
  }

  async function start(env: Record<string, string>): Promise<TestApp> {
    const api = await startTestApp({ EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, ...env });
    apps.push(api);
    return api;
  }

  beforeAll(() => {
    admin = testPool({ max: 2 });
  });
  afterEach(async () => {
    for (const api of apps.splice(0)) await api.close();
    for (const schema of schemas.splice(0)) await dropSchema(admin, schema);
  });
  afterAll(() => admin.end());

  const statement = statementBody;

  it('writes sources, a claim and statements to PostgreSQL and reads the claim back', async () => {
    const schema = freshSchema();
    const api = await start({ NEWSROOM_PG_SCHEMA: schema });

    const council = await api.post('/sources', { name: 'Raqqa Civil Council', kind: 'organization' });
    const coalition = await api.post('/sources', { name: 'US-led coalition', kind: 'organization' });
    expect([council.status, coalition.status]).toEqual([201, 201]);
    const claim = await api.post('/claims', {
      storyId: 'story-pg',
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind: 'boolean',
    });
    expect(claim.status).toBe(201);
    const claimId = claim.body.id as string;

    const first = await api.post(
      `/claims/${claimId}/statements`,
      statement(council.body.id, 'affirms', true, '2017-10-14T09:00:00Z'),
    );
    expect(first.status).toBe(201);
    expect((await api.get(`/claims/${claimId}`)).body.status).toBe('single-source');

    const second = await api.post(
      `/claims/${claimId}/statements`,
      statement(coalition.body.id, 'denies', undefined, '2017-10-15T09:00:00Z'),
    );
    expect(second.status).toBe(201);
    const read = await api.get(`/claims/${claimId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('contested');
    expect(read.headers.get('etag')).toMatch(/^"3\.[0-9a-f]{16}"$/);

    // The log is in PostgreSQL, and only there: the SQLite file holds no events table.
    const health = (await api.get('/health')).body;
    expect(health).toMatchObject({ head: '5', projected: '5' });
    const { rows } = await admin.query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}".events`);
    expect(rows[0]?.count).toBe('5');
    const sqlite = new Database(api.dbPath, { readonly: true });
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).not.toContain('events');
      expect(tables).not.toContain('idempotency_keys');
    } finally {
      sqlite.close();
    }

    // A second replica with its own SQLite file catches up from the shared log.
    const replica = await start({ NEWSROOM_PG_SCHEMA: schema });
    const seen = await replica.get(`/claims/${claimId}`);
    expect(seen.body.status).toBe('contested');
    expect((await replica.get('/health')).body).toMatchObject({ head: '5', projected: '5' });
  });

  it('uses the schema of the search_path given in DATABASE_URL when NEWSROOM_PG_SCHEMA is unset', async () => {
    const schema = freshSchema();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const api = await start({ DATABASE_URL: url });

    const created = await api.post('/sources', { name: 'Raqqa tribal elders', kind: 'group' });
    expect(created.status).toBe(201);
    const { rows } = await admin.query(`SELECT stream_id FROM "${schema}".events`);
    expect(rows).toHaveLength(1);
  });

  it('loads the Raqqa demo into an empty PostgreSQL log', async () => {
    const api = await start({ NEWSROOM_PG_SCHEMA: freshSchema(), NEWSROOM_DEMO: 'on' });

    const contested = await api.get(`/claims?storyId=${RAQQA_STORY_ID}&status=contested`, 'reporter');
    expect(contested.status).toBe(200);
    expect(contested.body.items.map((c: { claimId: string }) => c.claimId)).toContain(
      CLM.foreignFightersIncluded,
    );
    expect((await api.get(`/claims/${CLM.syrianFightersLeft}`)).body.status).toBe('single-source');
    const events = await api.get('/events?limit=5', 'auditor');
    expect(events.status).toBe(200);
  });

  it('is verified by the auditor CLI on the same configuration, and an export restores it to SQLite', async () => {
    const schema = freshSchema();
    const api = await start({ NEWSROOM_PG_SCHEMA: schema, NEWSROOM_DEMO: 'on' });
    const head = (await api.get('/health')).body.head as string;
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: schema };

    const verified = await runAudit(['verify', '--json'], env);
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report).toMatchObject({ ok: true, lastPosition: head });

    const exported = await runAudit(['export'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(Number(head));
  });
});
