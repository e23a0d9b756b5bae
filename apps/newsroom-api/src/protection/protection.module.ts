import { Global, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { type Database, type EventStore, EVENT_STORE } from '@app/event-store';
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
import { sharedInPostgres, openInSharedSchema } from '../persistence/shared-postgres';
import { SQLITE_DB } from '../persistence/persistence.tokens';

/**
 * The per-source keys live where the idempotency keys do, beside the log and never in it
 * (sharedInPostgres). docs/decisions/0016.
 */
async function openKeyStore(config: AppConfig, events: EventStore, db: Database): Promise<SourceKeyStore> {
  if (!sharedInPostgres(config)) return new SqliteSourceKeyStore(db);
  return openInSharedSchema(config, events, { name: 'SourceKeyStore', connections: 3 }, (pool, schema) =>
    PostgresSourceKeyStore.open(pool, schema, { ownsPool: true }),
  );
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
