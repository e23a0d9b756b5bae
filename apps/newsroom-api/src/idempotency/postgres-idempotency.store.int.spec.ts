import type { Pool } from 'pg';
import {
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../../../../libs/event-store/src/postgres/testing/test-database';
import type { IdempotencyStore, NewReservation } from './idempotency.port';
import { describeIdempotencyStore } from './conformance/idempotency-store.conformance';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

describeWithPostgres('PostgresIdempotencyStore', () => {
  describeIdempotencyStore('PostgreSQL schema', () => {
    const schema = uniqueSchemaName('idem');
    const pools: Pool[] = [];
    const open = () => {
      const pool = testPool({ max: 4 });
      pools.push(pool);
      return PostgresIdempotencyStore.open(pool, schema);
    };
    return {
      open,
      reopen: open,
      cleanup: async () => {
        const admin = testPool({ max: 1 });
        await dropSchema(admin, schema);
        await admin.end();
        for (const pool of pools.splice(0)) await pool.end();
      },
    };
  });

  describe('across processes', () => {
    const schema = uniqueSchemaName('idem');
    let admin: Pool;
    const pools: Pool[] = [];
    const stores: IdempotencyStore[] = [];
    const open = async () => {
      const pool = testPool({ max: 4 });
      pools.push(pool);
      const store = await PostgresIdempotencyStore.open(pool, schema);
      stores.push(store);
      return store;
    };
    const entry: NewReservation = {
      keyDigest: 'c'.repeat(64),
      key: 'k',
      principal: 'reporter',
      fingerprint: 'f'.repeat(64),
      reservedAt: '2026-11-30T12:00:00.000Z',
    };
    beforeAll(() => {
      admin = testPool({ max: 1 });
    });
    afterAll(async () => {
      for (const store of stores) await store.close();
      for (const pool of pools) await pool.end();
      await dropSchema(admin, schema);
      await admin.end();
    });

    it('migrates once when replicas start together, into a versioned table beside the log', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      const { rows } = await admin.query<{ version: number }>(
        `SELECT version FROM "${schema}".idempotency_migrations ORDER BY version`,
      );
      expect(rows.map((r) => r.version)).toEqual([1]);
    });

    it('gives one key to one of two replicas racing on it; the other sees it live, in flight', async () => {
      const [a, b] = [stores[0]!, stores[1]!];
      const outcomes = await Promise.all([a, b, a, b, a, b].map((s) => s.reserve(entry)));
      expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(1);
      for (const o of outcomes) if (o.kind === 'exists') expect(o.record.abandoned).toBe(false);
      expect(await a.abandoned()).toEqual([]);
      expect(await b.abandoned()).toEqual([]);
    });

    it('calls a replica’s pending key abandoned once that replica has stopped, not before', async () => {
      const c = await open();
      await c.reserve({ ...entry, key: 'c-pending' });
      const live = await stores[0]!.reserve({ ...entry, key: 'c-pending' });
      expect(live).toMatchObject({ kind: 'exists', record: { abandoned: false } });
      await c.close();
      const dead = await stores[0]!.reserve({ ...entry, key: 'c-pending' });
      expect(dead).toMatchObject({ kind: 'exists', record: { abandoned: true } });
      expect((await stores[1]!.abandoned()).map((r) => r.key)).toEqual(['c-pending']);
    });
  });
});
