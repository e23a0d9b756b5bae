export * from './port/event-store.port';
export { followLog, type FollowLogOptions } from './core/log-follower';
export { InvalidAppendError, EventStoreClosedError } from './core/errors';
export type { EventStoreOptions, ListenerErrorHandler } from './core/appended-listeners';
export type { GroupCommitTuning } from './core/group-commit';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './core/read-options';
export { InMemoryEventStore } from './memory/in-memory-event-store';
export { openSqliteDatabase, type Database, type SqliteDatabaseOptions } from './sqlite/sqlite-database';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { applySqliteMigrations, type SqliteMigrationSet } from './sqlite/sqlite-migrations';
export { EVENT_STORE_SCHEMA_VERSION } from './sqlite/sqlite-schema';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { POSTGRES_EVENT_STORE_SCHEMA_VERSION } from './postgres/postgres-schema';
export * from './upcasting/upcaster';
export { openPostgresEventStore } from './postgres/open-postgres';
export * from './kurrentdb';
export {
  advisoryLockKey,
  applyPostgresMigrations,
  migratePostgres,
  quoteIdentifier,
  type PostgresMigration,
  type PostgresMigrationSet,
} from './postgres/postgres-migrations';
export { transaction as postgresTransaction } from './postgres/postgres-query';
