import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { type EventStore, PostgresEventStore } from '@app/event-store';
import { type AppConfig, ConfigError } from '@app/platform';

/**
 * Whether what every replica must see alike lives in PostgreSQL: the read models (decision 0009)
 * and the stores kept beside the log and never in it (Idempotency-Key reservations, per-source
 * keys: 0016). It does beside a PostgreSQL log, and beside a KurrentDB log when DATABASE_URL names
 * a database for them; otherwise each process keeps its own in the embedded SQLite file.
 */
export function sharedInPostgres(config: AppConfig): boolean {
  return (
    config.eventStore === 'postgres' ||
    (config.eventStore === 'kurrentdb' && config.databaseUrl !== undefined)
  );
}

/**
 * Opens one of those stores on a pool of its own (which the store ends on close), in the log's
 * schema beside a PostgreSQL log, else in NEWSROOM_PG_SCHEMA or the connection's current schema.
 * The pool is ended if opening fails.
 */
export async function openInSharedSchema<T>(
  config: AppConfig,
  events: EventStore,
  store: { name: string; connections?: number },
  open: (pool: Pool, schema: string, logger: Logger) => Promise<T>,
): Promise<T> {
  if (!config.databaseUrl) throw new ConfigError(`EVENT_STORE=${config.eventStore} needs DATABASE_URL`);
  const logger = new Logger(store.name);
  const pool = new Pool({ connectionString: config.databaseUrl, max: store.connections });
  pool.on('error', (error) => logger.error(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    return await open(pool, await schemaOf(config, events, pool), logger);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

async function schemaOf(config: AppConfig, events: EventStore, pool: Pool): Promise<string> {
  // The store resolved NEWSROOM_PG_SCHEMA, or else search_path, when it opened.
  if (events instanceof PostgresEventStore) return events.schema();
  if (config.postgresSchema !== undefined) return config.postgresSchema;
  const { rows } = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = rows[0]?.schema;
  if (!schema) throw new ConfigError('DATABASE_URL has no current schema: set NEWSROOM_PG_SCHEMA');
  return schema;
}
