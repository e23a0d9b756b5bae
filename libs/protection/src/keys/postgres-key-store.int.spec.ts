import type { Pool } from 'pg';
import {
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../../../event-store/src/postgres/testing/test-database';
import { describeSourceKeyStore } from './conformance/key-store.conformance';
import { PostgresSourceKeyStore } from './postgres-key-store';

describeWithPostgres('PostgresSourceKeyStore', () => {
  describeSourceKeyStore('PostgreSQL schema', () => {
    const schema = uniqueSchemaName('keys');
    const pools: Pool[] = [];
    return {
      open: () => {
        const pool = testPool({ max: 2 });
        pools.push(pool);
        return PostgresSourceKeyStore.open(pool, schema);
      },
      cleanup: async () => {
        const admin = testPool({ max: 1 });
        await dropSchema(admin, schema);
        await admin.end();
        for (const pool of pools.splice(0)) await pool.end();
      },
    };
  });
});
