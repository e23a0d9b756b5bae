import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { type Database, type EventStore, PostgresEventStore } from '@app/event-store';
import { type AppConfig, ConfigError } from '@app/platform';
import type { IdempotencyStore } from './idempotency.port';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';
import { SqliteIdempotencyStore } from './sqlite-idempotency.store';

/**
 * Where the API keeps Idempotency-Key reservations: beside the log when the log is shared
 * (EVENT_STORE=postgres: the same DATABASE_URL and schema, so a key sent to any replica is seen by
 * all), else in the embedded SQLite file. The store is closed by the persistence module.
 */
export async function openIdempotencyStore(
  config: AppConfig,
  events: EventStore,
  db: Database,
): Promise<IdempotencyStore> {
  if (config.eventStore !== 'postgres') return new SqliteIdempotencyStore(db);
  if (!config.databaseUrl) throw new ConfigError('EVENT_STORE=postgres needs DATABASE_URL');
  const logger = new Logger('IdempotencyStore');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
  pool.on('error', (error) => logger.error(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    // The log's own schema: NEWSROOM_PG_SCHEMA, or the one the event store resolved from search_path.
    const schema =
      config.postgresSchema ?? (events instanceof PostgresEventStore ? await events.schema() : undefined);
    if (schema === undefined) throw new ConfigError('EVENT_STORE=postgres but the log is not on PostgreSQL');
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
