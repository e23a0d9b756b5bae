import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { EventCodec } from '@app/claims';
import {
  CLOCK,
  type Clock,
  type Database,
  EVENT_STORE,
  type EventStore,
  InMemoryEventStore,
  openSqliteDatabase,
  openPostgresEventStore,
  SqliteEventStore,
  systemClock,
} from '@app/event-store';
import { APP_CONFIG, type AppConfig, ConfigError } from '@app/platform';
import { PROJECTION_RUNNER, ProjectionRunner, READ_MODELS, SqliteReadModels } from '@app/projections';
import type { IdempotencyStore } from '../idempotency/idempotency.port';
import { openIdempotencyStore } from '../idempotency/idempotency-store.factory';
import { IDEMPOTENCY_STORE, SQLITE_DB } from './persistence.tokens';

/**
 * The embedded default keeps events, read models, checkpoints and idempotency keys in one SQLite
 * file. With the in-memory event store (tests), the rest lives in an in-memory SQLite database.
 *
 * EVENT_STORE=postgres moves only the log: events go to PostgreSQL (DATABASE_URL, schema
 * NEWSROOM_PG_SCHEMA or the search_path's), while read models, the projection checkpoint and
 * idempotency keys stay in the local SQLite file (NEWSROOM_DB). The checkpoint and the read models
 * still commit in one SQLite transaction, so a crash never leaves them disagreeing; the log is the
 * shared truth. Each API replica keeps its own read models and catches up from the shared log
 * (after its own appends at once, after other replicas' on the 2-second poll). See
 * docs/decisions/0004-postgres-event-store.md.
 */
const providers: Provider[] = [
  { provide: CLOCK, useValue: systemClock },
  {
    provide: SQLITE_DB,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig): Database => {
      switch (config.eventStore) {
        case 'sqlite':
        case 'postgres':
          return openSqliteDatabase(config.sqlitePath);
        case 'memory':
          return openSqliteDatabase(':memory:');
        case 'kurrentdb':
          throw new ConfigError(
            `EVENT_STORE=${config.eventStore} is not available in this build yet; use sqlite`,
          );
        default: {
          const _exhaustive: never = config.eventStore;
          throw new ConfigError(`unknown EVENT_STORE ${String(_exhaustive)}`);
        }
      }
    },
  },
  {
    provide: EVENT_STORE,
    inject: [APP_CONFIG, SQLITE_DB, CLOCK],
    useFactory: async (config: AppConfig, db: Database, clock: Clock): Promise<EventStore> => {
      if (config.eventStore === 'memory') return new InMemoryEventStore(clock);
      if (config.eventStore === 'postgres') return openPostgres(config, clock);
      const store = new SqliteEventStore(db, clock);
      store.migrate();
      return store;
    },
  },
  { provide: READ_MODELS, inject: [SQLITE_DB], useFactory: (db: Database) => new SqliteReadModels(db) },
  {
    provide: PROJECTION_RUNNER,
    inject: [EVENT_STORE, READ_MODELS, EventCodec],
    useFactory: (store: EventStore, readModels: SqliteReadModels, codec: EventCodec) =>
      new ProjectionRunner(store, readModels, (stored) => codec.decode(stored)),
  },
  // Idempotency keys beside the log: PostgreSQL when the log is there (shared by every replica).
  {
    provide: IDEMPOTENCY_STORE,
    inject: [APP_CONFIG, EVENT_STORE, SQLITE_DB],
    useFactory: openIdempotencyStore,
  },
  EventCodec,
];

/** The log on PostgreSQL, migrated before the app starts; the store ends its pool on shutdown. */
async function openPostgres(config: AppConfig, clock: Clock): Promise<EventStore> {
  if (!config.databaseUrl) throw new ConfigError('EVENT_STORE=postgres needs DATABASE_URL');
  const logger = new Logger('PostgresEventStore');
  return openPostgresEventStore({
    url: config.databaseUrl,
    schema: config.postgresSchema,
    clock,
    onIdleError: (error) => logger.error(`idle PostgreSQL connection failed: ${error.message}`),
  });
}

@Global()
@Module({ providers, exports: providers })
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE_DB) private readonly db: Database,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.idempotency.close();
    await this.store.close();
    if (this.db.open) this.db.close();
  }
}
