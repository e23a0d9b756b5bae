import { EventCodec, SRC } from '@app/claims';
import { type Database, migratePostgres, openSqliteDatabase, type SqliteEventStore } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import {
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../../../event-store/src/postgres/testing/test-database';
import { SNAPSHOT_EVERY } from '../newsroom.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { demoLog } from '../runner/testing/demo-log';
import { READ_MODEL_TABLES } from '../sqlite/read-model.schema';
import { SqliteReadModels } from '../sqlite/sqlite-read-models';
import { quoteIdentifier, readModelMigrations } from './postgres-read-model.schema';
import { ClaimTimeline } from '../queries/claim-timeline';
import { PostgresReadModels } from './postgres-read-models';
import { decodeStatement } from '../sqlite/sqlite-statement-rows';

/** Numbers and bigints as text, whichever driver gave them: only the values are compared. */
const text = (row: object) =>
  JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : v));

function dumpSqlite(db: Database): string {
  return READ_MODEL_TABLES.map((table) => {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).safeIntegers(true).all() as object[];
    // SQLite leaves a statement's `current` out of its row when it equals `original` (decision 0022).
    if (table === 'rm_statements')
      for (const row of rows as { record: string }[])
        row.record = JSON.stringify(decodeStatement(row.record));
    return `${table}\n${rows.map(text).join('\n')}`;
  }).join('\n');
}

async function dumpPostgres(pool: Pool, schema: string): Promise<string> {
  const out: string[] = [];
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await pool.query<object>(
      `SELECT * FROM ${quoteIdentifier(schema)}.${table} ORDER BY 1, 2`,
    );
    out.push(`${table}\n${rows.map(text).join('\n')}`);
  }
  return out.join('\n');
}

describeWithPostgres('the read models on PostgreSQL', () => {
  let pool: Pool;
  let sqlite: Database;
  let store: SqliteEventStore;
  let expected: string;
  let sqliteModels: SqliteReadModels;
  const schemas: string[] = [];
  const codec = new EventCodec();

  async function fresh(): Promise<{ schema: string; readModels: PostgresReadModels }> {
    const schema = uniqueSchemaName('rm_test');
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    return { schema, readModels: await PostgresReadModels.open(pool, schema) };
  }

  beforeAll(async () => {
    pool = testPool();
    sqlite = openSqliteDatabase(':memory:');
    // Past SNAPSHOT_EVERY events on one claim, so snapshots are compared too.
    store = await demoLog(sqlite, { busyClaimStatements: SNAPSHOT_EVERY + 10 });
    sqliteModels = new SqliteReadModels(sqlite);
    await new ProjectionRunner(store, sqliteModels, (e) => codec.decode(e)).catchUp();
    expected = dumpSqlite(sqlite);
    expect(expected).toMatch(/rm_claim_snapshots\n\{/);
  }, 120_000);
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(pool, schema);
    await pool.end();
    sqlite.close();
  });

  it('holds the same tables as SQLite, and nothing else beside its version table', async () => {
    const { schema } = await fresh();
    const { rows } = await pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'rm\\_%'`,
      [schema],
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...READ_MODEL_TABLES].sort());
  });

  it('projects the same rows as SQLite, byte for byte, in any batch size, and rebuilds to them', async () => {
    for (const batchSize of [1, 7, 500]) {
      const { schema, readModels } = await fresh();
      const runner = new ProjectionRunner(store, readModels, (e) => codec.decode(e), { batchSize });
      expect(await runner.catchUp()).toBe(await store.headPosition());
      expect(await dumpPostgres(pool, schema)).toBe(expected);
      await runner.rebuild();
      expect(await dumpPostgres(pool, schema)).toBe(expected);
    }
  }, 60_000);

  it('answers every query as the SQLite store does', async () => {
    const { readModels } = await fresh();
    await new ProjectionRunner(store, readModels, (e) => codec.decode(e)).catchUp();
    const claims = sqliteModels.listClaims({ limit: 1000 });
    expect(await readModels.listClaims({ limit: 1000 })).toEqual(claims);
    // The timeline is read from the log, with the snapshots and statement rows of each store.
    const timeline = new ClaimTimeline(store, codec, readModels);
    const sqliteTimeline = new ClaimTimeline(store, codec, sqliteModels);
    for (const { view } of claims) {
      expect(await readModels.claimViewJson(view.claimId)).toEqual(sqliteModels.claimViewJson(view.claimId));
      expect(await readModels.claimViewUtf8(view.claimId)).toEqual(sqliteModels.claimViewUtf8(view.claimId));
      expect(await timeline.page(view.claimId, 0n)).toEqual(await sqliteTimeline.page(view.claimId, 0n));
      expect(await timeline.page(view.claimId, 2n, 2)).toEqual(
        await sqliteTimeline.page(view.claimId, 2n, 2),
      );
      expect(await readModels.statementsOfClaim(view.claimId)).toEqual(
        sqliteModels.statementsOfClaim(view.claimId),
      );
      expect(await readModels.claimSourceIds(view.claimId)).toEqual(
        sqliteModels.claimSourceIds(view.claimId),
      );
      for (const position of [0n, 40n, 1000n])
        expect(await readModels.snapshotAt(view.claimId, position)).toEqual(
          sqliteModels.snapshotAt(view.claimId, position),
        );
      const all = sqliteModels.statementsOfClaim(view.claimId);
      for (const statement of all) {
        expect(await readModels.statement(view.claimId, statement.statementId)).toEqual(statement);
        expect(await readModels.liveStatementsOf(view.claimId, statement.sourceId)).toEqual(
          sqliteModels.liveStatementsOf(view.claimId, statement.sourceId),
        );
        expect(await readModels.statementsOfSource(view.claimId, statement.sourceId)).toEqual(
          sqliteModels.statementsOfSource(view.claimId, statement.sourceId),
        );
      }
      const statementFilters = [
        { limit: 2 },
        { limit: 100, afterPosition: BigInt(all[0]?.reportedPosition ?? '0') },
        { limit: 100, sourceIds: [] },
        { limit: 100, sourceIds: all.slice(0, 2).map((st) => st.sourceId) },
        { limit: 100, stance: 'affirms' as const },
        { limit: 100, state: 'retracted' as const },
        { limit: 100, state: 'live' as const },
        {
          limit: 100,
          state: 'superseded' as const,
          positionIds: all.slice(0, 1).map((st) => st.statementId),
        },
        { limit: 100, statedAfterMs: Date.parse('2017-10-14T00:00:00Z') },
        { limit: 100, statedBeforeMs: Date.parse('2017-10-15T00:00:00Z') },
      ];
      for (const filter of statementFilters)
        expect(await readModels.statementsPage(view.claimId, filter)).toEqual(
          sqliteModels.statementsPage(view.claimId, filter),
        );
      expect(await readModels.claim(view.claimId)).toEqual(sqliteModels.claim(view.claimId));
    }
    const filters = [
      { limit: 3 },
      { limit: 3, afterOpened: claims[0]!.openedPosition },
      { limit: 100, status: claims[0]!.view.status },
      { limit: 100, storyId: claims[0]!.view.storyId },
      { limit: 100, sourceId: SRC.sohr },
    ];
    for (const filter of filters)
      expect(await readModels.listClaims(filter)).toEqual(sqliteModels.listClaims(filter));
    const sourceFilters = [
      { limit: 100 },
      { limit: 4, afterId: SRC.sdf },
      { limit: 100, q: 'raqqa' },
      { limit: 100, q: 'الرقة' },
      { limit: 100, q: '100%_\\' },
      { limit: 100, kind: 'person' as const },
    ];
    for (const filter of sourceFilters)
      expect(await readModels.listSources(filter)).toEqual(sqliteModels.listSources(filter));
    expect(await readModels.claimsWithSources([SRC.sohr, SRC.sdf])).toEqual(
      sqliteModels.claimsWithSources([SRC.sohr, SRC.sdf]),
    );
    expect(await readModels.sourcesAffiliatedWith(SRC.sdf)).toEqual(
      sqliteModels.sourcesAffiliatedWith(SRC.sdf),
    );
    for (const sourceId of [SRC.sohr, SRC.omarAlloush, SRC.mustafaBali])
      expect(await readModels.statementsBySource(sourceId)).toEqual(
        sqliteModels.statementsBySource(sourceId),
      );
    expect(await readModels.builtFrom()).toEqual(await store.identity());
  });

  it('looks up many claims, sources and statements in one query each, as one by one', async () => {
    const { readModels } = await fresh();
    await new ProjectionRunner(store, readModels, (e) => codec.decode(e)).catchUp();
    const claims = sqliteModels.listClaims({ limit: 1000 }).map((c) => c.view.claimId);
    const claimArgs = [...claims, 'no-such-claim'].map((id) => [id]);
    const statementArgs = (await Promise.all(claims.map((id) => readModels.statementsOfClaim(id)))).flatMap(
      (list, i) => list.map((s) => [claims[i]!, s.statementId]),
    );
    statementArgs.push([claims[0]!, 'no-such-statement']);
    const sourceArgs = [...sqliteModels.listSources({ limit: 1000 }).map((s) => [s.sourceId]), ['nobody']];
    expect(statementArgs.length).toBeGreaterThan(2);
    for (const [method, argsList] of [
      ['claim', claimArgs],
      ['statement', statementArgs],
      ['source', sourceArgs],
    ] as const) {
      const one = readModels as unknown as Record<string, (...a: string[]) => Promise<unknown>>;
      const singly = await Promise.all(argsList.map((args) => one[method]!(...args)));
      expect(await readModels.lookupMany(method, argsList)).toEqual(singly);
      expect(singly.at(-1)).toBeUndefined();
    }
    expect(await readModels.lookupMany('liveStatementsOf', [['a', 'b']])).toBeUndefined();
  });

  it('stays exact when two projectors run at once (a lease changing hands): each batch claims its checkpoint', async () => {
    const { schema, readModels } = await fresh();
    const other = await PostgresReadModels.open(pool, schema);
    const runners = [readModels, other, readModels].map(
      (rm, i) => new ProjectionRunner(store, rm, (e) => codec.decode(e), { batchSize: 3 + i }),
    );
    const head = await store.headPosition();
    // The first batch of each has no checkpoint row to lock yet: let one projector write it.
    await runners[0]!.catchUp(1n);
    const reached = await Promise.all(runners.map((r) => r.catchUp()));
    expect(reached).toEqual([head, head, head]);
    expect(await dumpPostgres(pool, schema)).toBe(expected);
  }, 60_000);

  it('migrates once when replicas start together', async () => {
    const schema = uniqueSchemaName('rm_test');
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await Promise.all([1, 2, 3].map(() => PostgresReadModels.open(pool, schema)));
    const { rows } = await pool.query(
      `SELECT version FROM ${quoteIdentifier(schema)}.read_model_migrations ORDER BY version`,
    );
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('drops the stored timeline of tables at version 1 (migration 2), then rebuilds the read models', async () => {
    const schema = uniqueSchemaName('rm_test');
    schemas.push(schema);
    const s = quoteIdentifier(schema);
    await pool.query(`CREATE SCHEMA ${s}`);
    // What the code before decision 0036 left: version 1 of the tables, built by projection 9.
    const migrations = readModelMigrations(schema);
    await migratePostgres(pool, schema, { ...migrations, migrations: migrations.migrations.slice(0, 1) });
    await pool.query(`INSERT INTO ${s}.rm_timeline VALUES ('c1', 1, '{}')`);
    await pool.query(`INSERT INTO ${s}.rm_meta VALUES ('projection_version', '9')`);
    await pool.query(`INSERT INTO ${s}.rm_checkpoints VALUES ('newsroom', 1)`);
    const readModels = await PostgresReadModels.open(pool, schema);
    const { rows } = await pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'rm\\_%'`,
      [schema],
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...READ_MODEL_TABLES].sort());
    const runner = new ProjectionRunner(store, readModels, (e) => codec.decode(e));
    expect(await runner.ensureCurrent()).toBe(true);
    expect(await dumpPostgres(pool, schema)).toBe(expected);
  });

  it('rebuilds read models of another log, with one warning naming both', async () => {
    const { schema, readModels } = await fresh();
    const warnings: string[] = [];
    const runner = new ProjectionRunner(store, readModels, (e) => codec.decode(e), {
      warn: (m) => warnings.push(m),
    });
    await runner.catchUp();
    await readModels.batch((b) => b.recordLog({ logId: 'another-log', firstEventHash: 'f'.repeat(64) }));
    await pool.query(`UPDATE ${quoteIdentifier(schema)}.rm_claims SET view = '{}'`);
    await runner.catchUp();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/another-log.*but the event store holds log/);
    expect(await dumpPostgres(pool, schema)).toBe(expected);
  });

  it('commits a batch without waiting for its own WAL flush, and leaves the pooled connection as it was', async () => {
    const { schema } = await fresh();
    const single = testPool({ max: 1 });
    try {
      const readModels = await PostgresReadModels.open(single, schema);
      // The batch's connection, caught as the pool hands it out, asked from inside the batch.
      let batchClient: PoolClient | undefined;
      single.on('acquire', (client) => {
        batchClient = client;
      });
      const inside: string[] = [];
      await readModels.batch(async (b) => {
        const shown = await batchClient?.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        inside.push(shown?.rows[0]?.synchronous_commit ?? 'no connection');
        await b.saveCheckpoint('probe', 1n);
      });
      const after = await single.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      const stored = await single.query<{ position: string }>(
        `SELECT position::text FROM ${quoteIdentifier(schema)}.rm_checkpoints WHERE projection = 'probe'`,
      );
      expect(inside).toEqual(['off']);
      expect(after.rows).toEqual([{ synchronous_commit: 'on' }]);
      expect(stored.rows).toEqual([{ position: '1' }]);
    } finally {
      await single.end();
    }
  });
});
