import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { type Database, type EventStore, PostgresEventStore } from '@app/event-store';
import { type AppConfig, ConfigError } from '@app/platform';
import { ThreadedIdempotencyStore } from '../persistence/sqlite-writer/idempotency-writes';
import { ThreadedSqliteEventStore } from '../persistence/sqlite-writer/threaded-sqlite-event-store';
import type { IdempotencyStore } from './idempotency.port';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';
import { SqliteIdempotencyStore } from './sqlite-idempotency.store';

/**
 * Where the API keeps Idempotency-Key reservations: in PostgreSQL whenever replicas share one
 * (EVENT_STORE=postgres: the log's DATABASE_URL and schema; EVENT_STORE=kurrentdb with a
 * DATABASE_URL: beside the read models), so a key sent to any replica is seen by all; else in the
 * embedded SQLite file. The store is closed by the persistence module.
 */
export async function openIdempotencyStore(
  config: AppConfig,
  events: EventStore,
  db: Database,
): Promise<IdempotencyStore> {
  const shared =
    config.eventStore === 'postgres' ||
    (config.eventStore === 'kurrentdb' && config.databaseUrl !== undefined);
  if (!shared) {
    const local = new SqliteIdempotencyStore(db);
    // Beside a writer thread the keys are written there (this store only created the table).
    if (events instanceof ThreadedSqliteEventStore) {
      return new ThreadedIdempotencyStore((call) => events.idempotency(call));
    }
    return local;
  }
  if (!config.databaseUrl) throw new ConfigError('EVENT_STORE=postgres needs DATABASE_URL');
  const logger = new Logger('IdempotencyStore');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
  pool.on('error', (error) => logger.error(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    // NEWSROOM_PG_SCHEMA, or the schema the event store resolved from search_path, or the connection's.
    const schema = config.postgresSchema ?? (await schemaOf(events, pool));
    return await PostgresIdempotencyStore.open(pool, schema, {
      ownsPool: true,
      onLockLost: (error) =>
        logger.error(`lost the liveness lock (${error.message}); taking it again on the next request`),
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

async function schemaOf(events: EventStore, pool: Pool): Promise<string> {
  if (events instanceof PostgresEventStore) return events.schema();
  const { rows } = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = rows[0]?.schema;
  if (!schema) throw new ConfigError('DATABASE_URL has no current schema: set NEWSROOM_PG_SCHEMA');
  return schema;
}
