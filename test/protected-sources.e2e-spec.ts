import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { protectedSourcePlaceholder } from '@app/claims';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import { quoteIdentifier } from '@app/event-store';
import { TEST_DATABASE_URL, testPool } from '../libs/event-store/src/postgres/testing/test-database';
import { runAudit, tempDir } from './auditor/support/auditor-harness';
import { statementBody } from './support/bodies';
import { startTestApp, type TestApp, type Who } from './support/test-app';

/**
 * Issue 9, crypto-shredding, over HTTP on SQLite (and on PostgreSQL with E2E_EVENT_STORE=postgres):
 * a protected source's identity is in no table, log line, event or export, only in an editor's
 * reads; after shredding it is nowhere at all, while the log still verifies and extends the tree
 * head published before.
 */
const NAME = 'Zubayr Qetheri-Informant';
const NAME_AR = 'زبير القطري المخبر';
const ROLE = 'driver of the departing convoy';
const NEW_ROLE = 'checkpoint guard at Tabqa';
const SECRETS = [NAME, NAME_AR, ROLE, NEW_ROLE];

function expectNoIdentity(text: string, where: string): void {
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`${where} shows "${secret}"`);
  }
}

describe('protected sources and crypto-shredding', () => {
  let api: TestApp;
  let logged = '';
  let dir: string;
  let sourceId: string;
  let otherId: string;
  let claimId: string;
  let wrappedKey: string;

  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });

  beforeAll(async () => {
    dir = tempDir('newsroom-shred-');
    api = await startTestApp({ LOG_LEVEL: 'trace' }, { logger: pino({ level: 'trace' }, logSink) });
    const registered = await api.post(
      '/sources',
      { name: NAME, nameLatin: NAME_AR, kind: 'person', role: ROLE, protected: true },
      { as: 'reporter' },
    );
    expect(registered.status).toBe(201);
    sourceId = registered.body.id;
    const other = await api.post('/sources', { name: 'Coalition press office', kind: 'organization' });
    otherId = other.body.id;
    const claim = await api.post('/claims', {
      storyId: 'story-shred',
      proposition: { text: 'Foreign fighters left with the convoy', language: 'en' },
      valueKind: 'boolean',
    });
    claimId = claim.body.id;
    expect(
      (await api.post(`/claims/${claimId}/statements`, statementBody(sourceId, 'affirms', true))).status,
    ).toBe(201);
    expect(
      (await api.post(`/claims/${claimId}/statements`, statementBody(otherId, 'affirms', false))).status,
    ).toBe(201);
    const amended = await api.post(`/sources/${sourceId}/amendments`, {
      changes: { role: NEW_ROLE },
      reason: 'the source changed jobs',
    });
    expect(amended.status).toBe(201);
    wrappedKey = (await keyRows())[0]!.wrapped_key;
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cliEnv = (): Record<string, string> =>
    api.pgSchema === undefined
      ? { NEWSROOM_DB: api.dbPath }
      : { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: api.pgSchema };

  /** Everything the store holds, as text: the SQLite file's bytes (and WAL), or every table of the schema. */
  async function rawStorage(): Promise<string> {
    if (api.pgSchema === undefined) {
      return ['', '-wal', '-shm']
        .map((suffix) => api.dbPath + suffix)
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1') + readFileSync(file).toString('utf8'))
        .join('\n');
    }
    const pool = testPool({ max: 1 });
    try {
      const { rows } = await pool.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [api.pgSchema],
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['events', 'source_keys']));
      const dumps: string[] = [];
      for (const { table_name } of rows) {
        const table = `${quoteIdentifier(api.pgSchema)}.${quoteIdentifier(table_name)}`;
        dumps.push(JSON.stringify((await pool.query(`SELECT * FROM ${table}`)).rows));
      }
      return dumps.join('\n');
    } finally {
      await pool.end();
    }
  }

  async function keyRows(): Promise<{ source_id: string; wrapped_key: string }[]> {
    if (api.pgSchema === undefined) {
      const db = new BetterSqlite3(api.dbPath, { readonly: true });
      try {
        return db.prepare('SELECT * FROM source_keys').all() as { source_id: string; wrapped_key: string }[];
      } finally {
        db.close();
      }
    }
    const pool = testPool({ max: 1 });
    try {
      return (await pool.query(`SELECT * FROM ${quoteIdentifier(api.pgSchema)}.source_keys`)).rows;
    } finally {
      await pool.end();
    }
  }

  /** Every read a reader has of the source and its claim, as one text. */
  async function reads(as: Who): Promise<string> {
    const paths = [
      `/sources/${sourceId}`,
      `/sources?limit=100`,
      `/sources/${sourceId}/statements`,
      `/claims/${claimId}`,
      `/claims/${claimId}?asOfPosition=999999`,
      `/claims/${claimId}/statements`,
      `/claims/${claimId}/timeline`,
      `/claims?storyId=story-shred`,
    ];
    const bodies = [];
    for (const path of paths) {
      const res = await api.get(path, as);
      expect(res.status).toBe(200);
      bodies.push(JSON.stringify(res.body));
    }
    return bodies.join('\n');
  }

  async function exportsAndLog(): Promise<string> {
    const events = await api.get('/events?after=0&limit=1000', 'auditor');
    const adminEvents = await api.get('/events?after=0&limit=1000', 'admin');
    const review = await api.get(`/claims/${claimId}/claim-review`, 'admin');
    const metrics = await api.get('/metrics', 'nobody');
    return [events.body, adminEvents.body, review.body, metrics.body]
      .map((b) => JSON.stringify(b))
      .join('\n');
  }

  it('never stores the identity in the clear: not in the database, not in the log lines', async () => {
    const raw = await rawStorage();
    expectNoIdentity(raw, 'the raw store');
    // The dump does show what is stored: an unprotected name, and the (wrapped) key.
    expect(raw).toContain('Coalition press office');
    expect(raw).toContain(wrappedKey);
    expectNoIdentity(logged, 'the captured log');
    expect(logged).toContain(sourceId); // the log was captured, and names the source by id only
  });

  it('seals the identity in the events (sealed text on GET /events, placeholders in exports)', async () => {
    const text = await exportsAndLog();
    expectNoIdentity(text, 'GET /events, ClaimReview or metrics');
    const events = (await api.get('/events?after=0&limit=1000', 'auditor')).body.events as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const registration = events.find((e) => e.type === 'SourceRegistered' && e.data.sourceId === sourceId)!;
    expect(registration.data).toMatchObject({
      name: expect.stringMatching(/^sealed:v1:/),
      nameLatin: expect.stringMatching(/^sealed:v1:/),
      role: expect.stringMatching(/^sealed:v1:/),
      kind: 'person',
      protected: true,
    });
  });

  it('shows a reporter and an auditor only the placeholder, and an editor the identity', async () => {
    for (const who of ['reporter', 'auditor'] as const) {
      const text = await reads(who);
      expectNoIdentity(text, `a ${who}'s reads`);
      expect(text).toContain(protectedSourcePlaceholder(sourceId));
    }
    // The name search holds placeholders: it finds nothing by the name, so it is no oracle.
    for (const q of ['Zubayr', 'زبير']) {
      const found = await api.get(`/sources?q=${encodeURIComponent(q)}`, 'reporter');
      expect(found.status).toBe(200);
      expect(found.body.items).toEqual([]);
    }
    expect((await api.get('/sources?q=Coalition', 'reporter')).body.items).toHaveLength(1);
    const editor = await reads('editor');
    expect(editor).toContain(NAME);
    const source = await api.get(`/sources/${sourceId}`, 'editor');
    expect(source.body).toMatchObject({ name: NAME, nameLatin: NAME_AR, role: NEW_ROLE, protected: true });
    const claim = await api.get(`/claims/${claimId}`, 'editor');
    expect(JSON.stringify(claim.body.conflicts)).toContain(NAME);
    expect(claim.headers.get('cache-control')).toBe('private, no-store');
    expect(claim.headers.get('vary')).toContain('Authorization');
    // The ClaimReview export never names a protected source, whoever asks.
    expectNoIdentity(
      JSON.stringify((await api.get(`/claims/${claimId}/claim-review`, 'editor')).body),
      'export',
    );
  });

  it('lets only an admin shred; then nothing shows the identity, the log verifies and extends its tree head', async () => {
    const keyFile = join(dir, 'log.key');
    const keygen = await runAudit(['keygen', '--out', keyFile], {});
    expect(keygen.code).toBe(0);
    const publicKey = join(dir, 'log.pub.pem');
    writeFileSync(publicKey, keygen.stdout);
    const env = { ...cliEnv(), NEWSROOM_SIGNING_KEY_FILE: keyFile };
    const sth = join(dir, 'sth.json');
    expect((await runAudit(['checkpoint', '--out', sth], env)).code).toBe(0);
    const before = JSON.parse((await runAudit(['verify', '--json'], env)).stdout);

    const statusBefore = (await api.get(`/claims/${claimId}`, 'reporter')).body.status;
    const byEditor = await api.post(`/sources/${sourceId}/shredding`, { reason: 'x' }, { as: 'editor' });
    expect(byEditor.status).toBe(403);
    const shred = await api.post(`/sources/${sourceId}/shredding`, {
      reason: 'the source asked us to forget them',
    });
    expect(shred.status).toBe(201);
    expect(await keyRows()).toEqual([]);
    const again = await api.post(`/sources/${sourceId}/shredding`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SOURCE_SHREDDED');
    const amend = await api.post(`/sources/${sourceId}/amendments`, { changes: { name: 'X' }, reason: 'y' });
    expect(amend.body.code).toBe('SOURCE_SHREDDED');
    const unprotected = await api.post(`/sources/${otherId}/shredding`, { reason: 'z' });
    expect(unprotected.body.code).toBe('SOURCE_NOT_PROTECTED');

    // The event says who and why, and nothing of who the source was.
    const events = (await api.get('/events?after=0&limit=1000', 'auditor')).body.events as {
      type: string;
      data: unknown;
    }[];
    expect(events.at(-1)).toMatchObject({
      type: 'SourceIdentityShredded',
      data: { sourceId, reason: 'the source asked us to forget them', shreddedBy: 'admin-test' },
    });

    // Every reader, the editor and admin too, now sees only the placeholder; the statement still counts.
    for (const who of ['reporter', 'editor', 'admin'] as const) {
      const text = await reads(who);
      expectNoIdentity(text, `a ${who}'s reads after shredding`);
      expect(text).toContain(protectedSourcePlaceholder(sourceId));
    }
    const claim = await api.get(`/claims/${claimId}`, 'editor');
    expect(claim.body.status).toBe(statusBefore);
    expect(claim.body.positions.map((p: { sourceId: string }) => p.sourceId)).toContain(sourceId);
    expectNoIdentity(await exportsAndLog(), 'GET /events or exports after shredding');

    // Read models rebuilt from the log after shredding show the placeholder.
    await api.app.get<ProjectionRunner>(PROJECTION_RUNNER).rebuild();
    expectNoIdentity(await reads('admin'), 'reads after a rebuild');

    // The log verifies, and extends the tree head published before shredding (same root for it).
    const after = JSON.parse((await runAudit(['verify', '--json'], env)).stdout);
    expect(after.ok).toBe(true);
    expect(BigInt(after.lastPosition)).toBe(BigInt(before.lastPosition) + 1n);
    const against = await runAudit(['verify', '--against', sth, '--public-key', publicKey, '--json'], env);
    expect(against.code).toBe(0);
    expect(JSON.parse(against.stdout).extends).toMatchObject({ rootHash: before.rootHash });

    // The auditor's replay, export and import never show it either.
    const replay = await runAudit(['replay', '--as-of', String(after.lastPosition), '--format', 'json'], env);
    expect(replay.code).toBe(0);
    expectNoIdentity(replay.stdout, 'replay');
    expect(replay.stdout).toContain(protectedSourcePlaceholder(sourceId));
    const exported = join(dir, 'log.ndjson');
    expect((await runAudit(['export', '--out', exported], env)).code).toBe(0);
    expectNoIdentity(readFileSync(exported, 'utf8'), 'the export');
    const copy = { NEWSROOM_DB: join(dir, 'imported.db') };
    expect((await runAudit(['import', exported], copy)).code).toBe(0);
    const replayCopy = await runAudit(
      ['replay', '--as-of', String(after.lastPosition), '--format', 'json'],
      copy,
    );
    expectNoIdentity(replayCopy.stdout, 'a replay of the imported copy');

    // Nothing in the store or the log lines, and the wrapped key's bytes are gone from the file too.
    const raw = await rawStorage();
    expectNoIdentity(raw, 'the raw store after shredding');
    if (api.pgSchema === undefined) expect(raw).not.toContain(wrappedKey);
    expectNoIdentity(logged, 'the captured log');
  });
});
