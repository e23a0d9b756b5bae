import { existsSync } from 'node:fs';
// Straight to the modules it needs, not the packages' indexes: those load NestJS (platform) and the
// PostgreSQL driver (event-store), over half a second of start-up for every command.
import {
  type EventImporter,
  type EventStore,
  isEventImporter,
  type StoredEvent,
  systemClock,
} from '@app/event-store/port/event-store.port';
import { MAX_PAGE_SIZE } from '@app/event-store/core/read-options';
import { InMemoryEventStore } from '@app/event-store/memory/in-memory-event-store';
import { openSqliteDatabase } from '@app/event-store/sqlite/sqlite-database';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { type LeafRange, leafHashOf } from '@app/integrity';
import { type AppConfig, ConfigError, loadConfig } from '@app/platform/config/app-config';
import { CliError } from './cli-io';
import { type HashPages, sqliteHashedPages } from './byte-pages';
import { sqliteTextPages, type TextPageReader } from './text-pages';

/** The configured event store, opened as the API opens it (API.md "Running"). */
export interface LogSource {
  store: EventStore;
  importer: EventImporter | undefined;
  /** SQLite and memory never skip a position, so a hole is evidence of a deletion. */
  densePositions: boolean;
  /** The log as stored, unparsed, where the store allows it: verify's fast path (SQLite). */
  textPages?: TextPageReader;
  /** SQLite's pages of rows hashed from their bytes (byte-pages.ts): verify's fast path there. */
  hashPages?: HashPages;
  /** The SQLite file, for verify's hashing threads (each opens its own read-only connection). */
  sqliteFile?: string;
  describe: string;
  close(): Promise<void>;
}

export function auditorConfig(env: Record<string, string | undefined>): AppConfig {
  try {
    return loadConfig(env, { requireApiKeys: false });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/** `mustExist`: reading commands refuse to create an empty database where none was. */
export async function openLogSource(config: AppConfig, options: { mustExist: boolean }): Promise<LogSource> {
  switch (config.eventStore) {
    case 'sqlite': {
      if (options.mustExist && !existsSync(config.sqlitePath)) {
        throw new CliError(`no event store at ${config.sqlitePath} (set NEWSROOM_DB)`);
      }
      const db = openSqliteDatabase(config.sqlitePath);
      const store = new SqliteEventStore(db, systemClock, { ownsDatabase: true });
      store.migrate();
      return {
        ...source(store, `sqlite ${config.sqlitePath}`),
        textPages: sqliteTextPages(db),
        hashPages: sqliteHashedPages(db),
        sqliteFile: config.sqlitePath,
      };
    }
    case 'memory':
      return source(new InMemoryEventStore(systemClock), 'memory');
    case 'postgres': {
      if (!config.databaseUrl) throw new CliError('EVENT_STORE=postgres needs DATABASE_URL');
      // Loaded only here: the PostgreSQL driver is a start-up cost the other stores need not pay.
      const { openPostgresStore } = await import('./postgres-store');
      const log = await openPostgresStore(config.databaseUrl, config.postgresSchema);
      // Positions on PostgreSQL are dense too: the adapter assigns them under one advisory lock.
      return {
        ...source(log.store, `postgres ${config.postgresSchema ?? '(search_path schema)'}`),
        textPages: log.textPages,
        close: () => log.close(),
      };
    }
    case 'kurrentdb': {
      if (!config.kurrentDbUrl) throw new CliError('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
      const { openKurrentDbStore, redactUrl } = await import('./kurrentdb-store');
      const store = await openKurrentDbStore(config.kurrentDbUrl, config.kurrentDbStreamPrefix);
      return source(store, `kurrentdb ${redactUrl(config.kurrentDbUrl)}`);
    }
    default: {
      const _exhaustive: never = config.eventStore;
      throw new CliError(`unknown EVENT_STORE ${String(_exhaustive)}`);
    }
  }
}

function source(store: EventStore, describe: string): LogSource {
  return {
    store,
    importer: isEventImporter(store) ? store : undefined,
    densePositions: true,
    describe,
    close: () => store.close(),
  };
}

/** The log in position order, one page at a time: memory stays flat however long the log. */
export async function* readLog(
  store: EventStore,
  range: { after?: bigint; to?: bigint } = {},
): AsyncGenerator<StoredEvent> {
  let after = range.after ?? 0n;
  for (;;) {
    const page = await store.readAll({ after, to: range.to, limit: MAX_PAGE_SIZE });
    if (page.length === 0) return;
    yield* page;
    const last = page.at(-1);
    if (last === undefined) return;
    after = last.position;
  }
}

/**
 * Leaves [start, end) by ordinal. On a dense log ordinal i is position i + 1, so a range is one
 * seek; if that ever fails to hold, it falls back to counting from the start rather than lying.
 */
export function leafRangeOf(source: LogSource): LeafRange {
  return async function* leaves(start: number, end: number): AsyncGenerator<Buffer> {
    if (source.densePositions) {
      let ordinal = start;
      for await (const event of readLog(source.store, { after: BigInt(start), to: BigInt(end) })) {
        if (event.position !== BigInt(ordinal + 1)) break;
        yield leafHashOf(event.metadata.hash);
        ordinal += 1;
      }
      if (ordinal === end) return;
      if (ordinal !== start) throw new Error(`positions are not dense around leaf ${ordinal}`);
    }
    yield* countedLeaves(source.store, start, end);
  };
}

async function* countedLeaves(store: EventStore, start: number, end: number): AsyncGenerator<Buffer> {
  let ordinal = 0;
  for await (const event of readLog(store)) {
    if (ordinal >= end) return;
    if (ordinal >= start) yield leafHashOf(event.metadata.hash);
    ordinal += 1;
  }
}
