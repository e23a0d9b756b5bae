import { resolve } from 'node:path';
import { type ApiKeyEntry, localAdminKey, parseApiKeys } from './api-keys';
import { ConfigError } from './config-error';
import { type FeedSettings, parseFeedSettings } from './feed-settings';
import { type HttpLimits, parseHttpLimits } from './http-limits';
import { checkMasterKeys, localMasterKey } from './master-keys';
import { type NatsConfig, parseNats } from './nats-config';
import { readSecretFile } from './secret-files';

/** What loadConfig throws, where its callers look for it. */
export { ConfigError } from './config-error';

export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'kurrentdb', 'memory'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

export interface AppConfig {
  port: number;
  host: string;
  eventStore: EventStoreKind;
  sqlitePath: string;
  databaseUrl?: string;
  /** EVENT_STORE=postgres: the schema holding the log (NEWSROOM_PG_SCHEMA); else the search_path's. */
  postgresSchema?: string;
  kurrentDbUrl?: string;
  /**
   * EVENT_STORE=postgres: whether this process contends for the projector lease
   * (NEWSROOM_PROJECTOR); off, it never projects and follows the shared checkpoint.
   */
  projector: boolean;
  /**
   * EVENT_STORE=sqlite on a file: write the log and the read models on a thread of their own
   * (NEWSROOM_SQLITE_WRITER_THREAD, default on; docs/decisions/0025), so their commits never stop
   * the HTTP event loop. Off: both are written on the main thread, as before.
   */
  sqliteWriterThread: boolean;
  /** EVENT_STORE=kurrentdb: names this log's streams on the server (KURRENTDB_STREAM_PREFIX). */
  kurrentDbStreamPrefix?: string;
  apiKeys: ApiKeyEntry[];
  demo: boolean;
  logLevel: string;
  /** Who publishes the desk's verdicts (ClaimReview author). */
  publisher: { name: string; url?: string };
  /** NATS JetStream: commands in, events out (docs/decisions/0015); off when NATS_URL is unset. */
  nats?: NatsConfig;
  /** Timeouts and connection caps of the HTTP server (NEWSROOM_HTTP_*: docs/security.md). */
  http: HttpLimits;
  /** The SSE feeds (docs/decisions/0014). */
  feeds: FeedSettings;
  /** A key this process created for local use, to print once on a terminal (never logged). */
  generatedLocalKey?: { key: string; file: string };
  /**
   * The master keys wrapping protected sources' keys (NEWSROOM_MASTER_KEY, then the lines of
   * NEWSROOM_MASTER_KEY_FILE): the first is current, later ones only for a rotation. Parsed by
   * @app/protection; never logged. Undefined: protected sources cannot be registered or read.
   */
  masterKeys?: string;
}

type Env = Record<string, string | undefined>;

/**
 * Reads the Running section of API.md from the environment. `localDefaults` is what the README's
 * start command passes: the demo defaults to on and, on the embedded store with no keys configured,
 * a local admin key is created (and kept in a file beside the database, so it survives restarts).
 */
export function loadConfig(
  env: Env,
  options: {
    localDefaults?: boolean;
    /** False for tools that serve no HTTP (the auditor CLI): no keys are demanded or created. */
    requireApiKeys?: boolean;
  } = {},
): AppConfig {
  const eventStore = parseEventStore(env.EVENT_STORE);
  const sqlitePath = resolve(env.NEWSROOM_DB ?? './data/newsroom.db');
  const config: AppConfig = {
    port: parsePort(env.PORT),
    host: env.HOST ?? '0.0.0.0',
    eventStore,
    sqlitePath,
    databaseUrl: env.DATABASE_URL,
    postgresSchema: parsePostgresSchema(env.NEWSROOM_PG_SCHEMA),
    kurrentDbUrl: env.KURRENTDB_URL,
    projector: parseSwitch('NEWSROOM_PROJECTOR', env.NEWSROOM_PROJECTOR ?? 'on'),
    sqliteWriterThread: parseSwitch(
      'NEWSROOM_SQLITE_WRITER_THREAD',
      env.NEWSROOM_SQLITE_WRITER_THREAD ?? 'on',
    ),
    kurrentDbStreamPrefix: parseKurrentDbPrefix(env.KURRENTDB_STREAM_PREFIX),
    apiKeys: [],
    demo: parseSwitch('NEWSROOM_DEMO', env.NEWSROOM_DEMO ?? (options.localDefaults ? 'on' : 'off')),
    logLevel: env.LOG_LEVEL ?? 'info',
    publisher: {
      name: env.NEWSROOM_NAME ?? 'Newsroom',
      ...(env.NEWSROOM_URL ? { url: env.NEWSROOM_URL } : {}),
    },
    http: parseHttpLimits(env),
    feeds: parseFeedSettings(env),
  };
  const nats = parseNats(env);
  if (nats) config.nats = nats;
  if (eventStore === 'postgres' && !config.databaseUrl)
    throw new ConfigError('EVENT_STORE=postgres needs DATABASE_URL');
  if (eventStore === 'kurrentdb' && !config.kurrentDbUrl)
    throw new ConfigError('EVENT_STORE=kurrentdb needs KURRENTDB_URL');

  const keyText = [
    env.NEWSROOM_API_KEYS,
    readSecretFile('NEWSROOM_API_KEYS_FILE', env.NEWSROOM_API_KEYS_FILE),
  ]
    .filter(Boolean)
    .join(',');
  config.apiKeys = parseApiKeys(keyText);
  if (config.apiKeys.length === 0 && options.requireApiKeys !== false) {
    if (!(options.localDefaults && eventStore === 'sqlite')) {
      throw new ConfigError(
        'no API keys: set NEWSROOM_API_KEYS="key:role,..." (roles: reporter, editor, auditor, admin) or NEWSROOM_API_KEYS_FILE',
      );
    }
    const local = localAdminKey(sqlitePath);
    config.apiKeys = [{ key: local.key, role: 'admin', principal: 'local-admin' }];
    config.generatedLocalKey = local;
  }
  const masterKeys = [
    env.NEWSROOM_MASTER_KEY,
    readSecretFile('NEWSROOM_MASTER_KEY_FILE', env.NEWSROOM_MASTER_KEY_FILE),
  ]
    .filter((text) => text !== undefined && text.trim() !== '')
    .join('\n');
  if (masterKeys !== '') config.masterKeys = checkMasterKeys(masterKeys);
  else if (options.localDefaults && eventStore === 'sqlite') config.masterKeys = localMasterKey(sqlitePath);
  return config;
}

function parseEventStore(value: string | undefined): EventStoreKind {
  const kind = value ?? 'sqlite';
  if (!(EVENT_STORE_KINDS as readonly string[]).includes(kind))
    throw new ConfigError(`EVENT_STORE must be one of ${EVENT_STORE_KINDS.join(', ')}, not "${kind}"`);
  return kind as EventStoreKind;
}

function parsePostgresSchema(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(value))
    throw new ConfigError(
      `NEWSROOM_PG_SCHEMA must be a plain identifier (letters, digits, _), not "${value}"`,
    );
  return value;
}

/** The same rule as the adapter's (decision 0006): `<prefix>-` must never start another prefix's names. */
function parseKurrentDbPrefix(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(value))
    throw new ConfigError(
      `KURRENTDB_STREAM_PREFIX must be 1-64 letters, digits or _ (no "-", ".", "$"), not "${value}"`,
    );
  return value;
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT "${value}" is not a port`);
  return port;
}

function parseSwitch(name: string, value: string): boolean {
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, not "${value}"`);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
