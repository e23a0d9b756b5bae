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
  openKurrentDbEventStore,
  openPostgresEventStore,
  SqliteEventStore,
  type StoredEvent,
  systemClock,
} from '@app/event-store';
import { APP_CONFIG, type AppConfig, ConfigError } from '@app/platform';
import {
  PostgresReadModels,
  PROJECTION_RUNNER,
  ProjectionRunner,
  READ_MODELS,
  type ReadModelStore,
  SqliteReadModels,
} from '@app/projections';
import type { IdempotencyStore } from '../idempotency/idempotency.port';
import { openIdempotencyStore } from '../idempotency/idempotency-store.factory';
import { IDEMPOTENCY_STORE, SQLITE_DB } from './persistence.tokens';
import { openInSharedSchema, sharedInPostgres } from './shared-postgres';
import { FollowingProjectionRunner } from './sqlite-writer/following-projection-runner';
import { ThreadedSqliteEventStore } from './sqlite-writer/threaded-sqlite-event-store';

/**
 * The embedded default keeps events, read models, checkpoints and idempotency keys in one SQLite
 * file. With the in-memory event store (tests), the rest lives in an in-memory SQLite database.
 *
 * EVENT_STORE=postgres: the log (DATABASE_URL, schema NEWSROOM_PG_SCHEMA or the search_path's),
 * the read models, their checkpoint and the identity of the log they were built from all live in
 * that schema; a batch of read models, its checkpoint and the identity commit in one PostgreSQL
 * transaction. One replica at a time projects (the projector lease, see ProjectionDaemon); every
 * replica reads the shared read models. Idempotency keys are there too (decision 0011), so the
 * replicas keep no state: the NEWSROOM_DB file is opened but holds nothing. See docs/decisions/0004,
 * 0009 and 0011.
 *
 * EVENT_STORE=kurrentdb (KURRENTDB_URL, decision 0006): the log on KurrentDB; read models and
 * idempotency keys in PostgreSQL when DATABASE_URL is set (as above, shared, one projector), else
 * in each replica's NEWSROOM_DB file, each replica projecting its own.
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
        case 'kurrentdb':
          return openSqliteDatabase(config.sqlitePath);
        case 'memory':
          return openSqliteDatabase(':memory:');
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
      if (config.eventStore === 'kurrentdb') return openKurrentDb(config, clock);
      if (writerThread(config)) {
        const logger = new Logger('SqliteWriter');
        const threaded = new ThreadedSqliteEventStore(db, config.sqlitePath, {
          warn: (message) => logger.warn(message),
          error: (message) => logger.error(message),
        });
        threaded.migrate();
        return threaded;
      }
      const store = new SqliteEventStore(db, clock);
      store.migrate();
      return store;
    },
  },
  {
    provide: READ_MODELS,
    inject: [APP_CONFIG, SQLITE_DB, EVENT_STORE],
    useFactory: async (config: AppConfig, db: Database, store: EventStore): Promise<ReadModelStore> => {
      if (sharedInPostgres(config)) return openPostgresReadModels(config, store);
      const readModels = new SqliteReadModels(db);
      // The read-model tables exist (created here) before the writer thread opens the file.
      if (store instanceof ThreadedSqliteEventStore) await store.start();
      return readModels;
    },
  },
  {
    provide: PROJECTION_RUNNER,
    inject: [EVENT_STORE, READ_MODELS, EventCodec],
    useFactory: (store: EventStore, readModels: ReadModelStore, codec: EventCodec) => {
      const decode = (stored: StoredEvent) => codec.decode(stored);
      const options = { warn: (message: string) => new Logger('Projection').warn(message) };
      // Beside a writer thread, this process's runner follows the writer's projection.
      return store instanceof ThreadedSqliteEventStore
        ? new FollowingProjectionRunner(store, readModels, decode, options)
        : new ProjectionRunner(store, readModels, decode, options);
    },
  },
  // Idempotency keys beside the log: PostgreSQL when the log is there (shared by every replica).
  {
    provide: IDEMPOTENCY_STORE,
    inject: [APP_CONFIG, EVENT_STORE, SQLITE_DB],
    useFactory: openIdempotencyStore,
  },
  EventCodec,
];

/** SQLite on a file (an in-memory database cannot be shared with a thread): writes on a thread. */
function writerThread(config: AppConfig): boolean {
  return (
    config.eventStore === 'sqlite' &&
    config.sqliteWriterThread &&
    config.sqlitePath !== ':memory:' &&
    config.sqlitePath !== ''
  );
}

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

/** The log on KurrentDB (decision 0006); its onAppended follows `$all`, so other replicas' too. */
async function openKurrentDb(config: AppConfig, clock: Clock): Promise<EventStore> {
  if (!config.kurrentDbUrl) throw new ConfigError('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  const logger = new Logger('KurrentDbEventStore');
  return openKurrentDbEventStore({
    url: config.kurrentDbUrl,
    clock,
    prefix: config.kurrentDbStreamPrefix,
    onSubscriptionError: (error) => logger.error(`subscription to $all dropped: ${error.message}`),
  });
}

/** The read models in PostgreSQL, on a pool of their own (ended on shutdown). */
function openPostgresReadModels(config: AppConfig, store: EventStore): Promise<PostgresReadModels> {
  return openInSharedSchema(config, store, { name: 'PostgresReadModels' }, (pool, schema) =>
    PostgresReadModels.open(pool, schema, { ownsPool: true }),
  );
}

@Global()
@Module({ providers, exports: providers })
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE_DB) private readonly db: Database,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.idempotency.close();
    if (this.readModels instanceof PostgresReadModels) await this.readModels.close();
    await this.store.close();
    if (this.db.open) this.db.close();
  }
}
