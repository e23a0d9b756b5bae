import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { READ_MODEL_TABLES } from '@app/projections';
import {
  TEST_DATABASE_URL,
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../libs/event-store/src/postgres/testing/test-database';
import { startTestApp, type TestApp } from './support/test-app';

/** Read models know their log: swapped under them, they are rebuilt, never served stale. */

/** Every read-model table: the same names on SQLite and PostgreSQL. */
const RM_TABLES = READ_MODEL_TABLES;

/** Ten events on one log: the read models' checkpoint ends up well past a fresh log's head. */
async function fillLog(api: TestApp): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    expect((await api.post('/sources', { name: `Source ${i}`, kind: 'group' })).status).toBe(201);
  }
}

async function openAndRead(api: TestApp): Promise<void> {
  const opened = await api.post('/claims', {
    storyId: 'story-identity',
    proposition: { text: 'The convoy left at dawn', language: 'en' },
    valueKind: 'boolean',
  });
  expect(opened.status).toBe(201);
  const read = await api.get(`/claims/${opened.body.id as string}`);
  expect(read.status).toBe(200);
  expect(read.body.claimId).toBe(opened.body.id);
}

describe('read models on SQLite know their log', () => {
  // About the SQLite file itself, whatever E2E_EVENT_STORE says.
  const SQLITE = { EVENT_STORE: 'sqlite' };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-identity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds read models left from another log under the same file', async () => {
    const first = join(dir, 'first.db');
    const other = join(dir, 'other.db');
    const a = await startTestApp(SQLITE, { dbPath: first });
    await fillLog(a);
    await a.close();
    const b = await startTestApp(SQLITE, { dbPath: other });
    expect((await b.post('/sources', { name: 'Only one', kind: 'group' })).status).toBe(201);
    await b.close();

    // A copy of the other log carrying the first log's read models (a restored or imported log).
    const swapped = join(dir, 'swapped.db');
    copyFileSync(other, swapped);
    const db = new Database(swapped);
    db.prepare('ATTACH DATABASE ? AS first').run(first);
    db.transaction(() => {
      for (const table of RM_TABLES) {
        db.exec(`DELETE FROM main.${table}; INSERT INTO main.${table} SELECT * FROM first.${table};`);
      }
    })();
    db.exec('DETACH DATABASE first');
    db.close();

    const api = await startTestApp(SQLITE, { dbPath: swapped });
    try {
      await openAndRead(api);
      expect((await api.get('/health')).body).toMatchObject({ head: '2', projected: '2' });
    } finally {
      await api.close();
    }
  });
});

describeWithPostgres('read models with a PostgreSQL log know their log', () => {
  let admin: Pool;
  let dir: string;
  const schemas: string[] = [];
  beforeAll(() => {
    admin = testPool({ max: 2 });
    dir = mkdtempSync(join(tmpdir(), 'newsroom-identity-pg-'));
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(admin, schema);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(schema: string, dbPath: string): Promise<TestApp> {
    return startTestApp(
      { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: schema },
      { dbPath },
    );
  }

  it('starts on a fresh schema with a NEWSROOM_DB file left from another schema’s log', async () => {
    const dbPath = join(dir, 'replica.db');
    const [old, fresh] = [uniqueSchemaName('e2e_id'), uniqueSchemaName('e2e_id')];
    schemas.push(old, fresh);
    const a = await start(old, dbPath);
    await fillLog(a);
    await a.close();

    const api = await start(fresh, dbPath);
    try {
      await openAndRead(api);
      expect((await api.get('/health')).body).toMatchObject({ head: '1', projected: '1' });
    } finally {
      await api.close();
    }
  });

  it('rebuilds read models in PostgreSQL restored from another log', async () => {
    const [old, fresh] = [uniqueSchemaName('e2e_id'), uniqueSchemaName('e2e_id')];
    schemas.push(old, fresh);
    const a = await start(old, join(dir, 'a.db'));
    await fillLog(a);
    await a.close();
    const b = await start(fresh, join(dir, 'b.db'));
    expect((await b.post('/sources', { name: 'Only one', kind: 'group' })).status).toBe(201);
    await b.close();
    // The fresh log's schema now holds the old log's read models (a backup restored over them).
    for (const table of RM_TABLES) {
      await admin.query(`DELETE FROM "${fresh}".${table}`);
      await admin.query(`INSERT INTO "${fresh}".${table} SELECT * FROM "${old}".${table}`);
    }

    const api = await start(fresh, join(dir, 'c.db'));
    try {
      await openAndRead(api);
      expect((await api.get('/health')).body).toMatchObject({ head: '2', projected: '2' });
    } finally {
      await api.close();
    }
  });
});
