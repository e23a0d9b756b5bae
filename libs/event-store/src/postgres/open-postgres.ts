import { Pool } from 'pg';
import type { Clock } from '../port/event-store.port';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The PostgreSQL store as the API and the auditor open it: its own pool (ended on close), the
 * schema migrated, and idle-connection (and LISTEN-connection) failures reported instead of
 * crashing the process.
 */
export async function openPostgresEventStore(options: {
  url: string;
  schema?: string;
  clock: Clock;
  onIdleError: (error: Error) => void;
}): Promise<PostgresEventStore> {
  const pool = new Pool({ connectionString: options.url });
  pool.on('error', options.onIdleError);
  const store = new PostgresEventStore(pool, options.clock, {
    schema: options.schema,
    ownsPool: true,
    // The LISTEN client reconnects by itself; its errors are reported like the pool's.
    onWakeUpError: (error) => options.onIdleError(error instanceof Error ? error : new Error(String(error))),
  });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
