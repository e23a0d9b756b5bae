import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Pool } from 'pg';
import { type Database, type EventStore, EVENT_STORE, PostgresEventStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig, ConfigError } from '@app/platform';
import {
  MasterKeyRing,
  PostgresSourceKeyStore,
  ProtectionError,
  SOURCE_KEY_STORE,
  SOURCE_KEYS,
  SourceKeys,
  type SourceKeyStore,
  SqliteSourceKeyStore,
} from '@app/protection';
import { SQLITE_DB } from '../persistence/persistence.tokens';

/**
 * The per-source keys live where the idempotency keys do, beside the log and never in it: in the
 * log's PostgreSQL schema when replicas share one (EVENT_STORE=postgres, or kurrentdb with a
 * DATABASE_URL), else in the embedded SQLite file. docs/decisions/0016.
 */
async function openKeyStore(config: AppConfig, events: EventStore, db: Database): Promise<SourceKeyStore> {
  const shared =
    config.eventStore === 'postgres' ||
    (config.eventStore === 'kurrentdb' && config.databaseUrl !== undefined);
  if (!shared) return new SqliteSourceKeyStore(db);
  if (!config.databaseUrl) throw new ConfigError(`EVENT_STORE=${config.eventStore} needs DATABASE_URL`);
  const logger = new Logger('SourceKeyStore');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  pool.on('error', (error) => logger.error(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    const schema = config.postgresSchema ?? (await schemaOf(events, pool));
    return await PostgresSourceKeyStore.open(pool, schema, { ownsPool: true });
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

/** A malformed master key is a configuration mistake (exit 2), told without echoing the key. */
function masterKeyRing(config: AppConfig): MasterKeyRing | undefined {
  if (config.masterKeys === undefined) return undefined;
  try {
    return MasterKeyRing.parse(config.masterKeys);
  } catch (error) {
    if (error instanceof ProtectionError) throw new ConfigError(`NEWSROOM_MASTER_KEY: ${error.message}`);
    throw error;
  }
}

const providers: Provider[] = [
  { provide: SOURCE_KEY_STORE, inject: [APP_CONFIG, EVENT_STORE, SQLITE_DB], useFactory: openKeyStore },
  {
    provide: SOURCE_KEYS,
    inject: [APP_CONFIG, SOURCE_KEY_STORE],
    useFactory: (config: AppConfig, store: SourceKeyStore) => new SourceKeys(store, masterKeyRing(config)),
  },
];

@Global()
@Module({ providers, exports: providers })
export class ProtectionModule implements OnApplicationShutdown {
  constructor(@Inject(SOURCE_KEY_STORE) private readonly store: SourceKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
