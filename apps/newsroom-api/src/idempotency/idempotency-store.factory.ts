import type { Database, EventStore } from '@app/event-store';
import type { AppConfig } from '@app/platform';
import { sharedInPostgres, openInSharedSchema } from '../persistence/shared-postgres';
import { ThreadedIdempotencyStore } from '../persistence/sqlite-writer/idempotency-writes';
import { ThreadedSqliteEventStore } from '../persistence/sqlite-writer/threaded-sqlite-event-store';
import type { IdempotencyStore } from './idempotency.port';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';
import { SqliteIdempotencyStore } from './sqlite-idempotency.store';

/**
 * Where the API keeps Idempotency-Key reservations: beside the log (sharedInPostgres), so a key sent
 * to any replica is seen by all. The store is closed by the persistence module.
 */
export async function openIdempotencyStore(
  config: AppConfig,
  events: EventStore,
  db: Database,
): Promise<IdempotencyStore> {
  if (sharedInPostgres(config)) {
    return openInSharedSchema(
      config,
      events,
      { name: 'IdempotencyStore', connections: 5 },
      (pool, schema, logger) =>
        PostgresIdempotencyStore.open(pool, schema, {
          ownsPool: true,
          onLockLost: (error) =>
            logger.error(`lost the liveness lock (${error.message}); taking it again on the next request`),
        }),
    );
  }
  const local = new SqliteIdempotencyStore(db);
  // Beside a writer thread the keys are written there (this store only created the table).
  if (events instanceof ThreadedSqliteEventStore) {
    return new ThreadedIdempotencyStore((call) => events.idempotency(call));
  }
  return local;
}
