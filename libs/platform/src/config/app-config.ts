import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ROLES, type Role } from '../auth/roles';
import { type HttpLimits, parseHttpLimits } from './http-limits';

export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'kurrentdb', 'memory'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

export interface ApiKeyEntry {
  key: string;
  role: Role;
  /** What goes into event metadata and logs as the principal: a name, never the key. */
  principal: string;
}

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

export interface NatsConfig {
  /** NATS_URL: one server or several, comma-separated (nats://host:4222). */
  servers: string[];
  /** NATS_SUBJECT_PREFIX: commands on `<prefix>.commands.<command>`, events on `<prefix>.events.<Type>`. */
  subjectPrefix: string;
  /** NATS_EVENTS_STREAM: the JetStream stream that keeps the published events. */
  eventsStream: string;
}

export interface FeedSettings {
  /** SSE_HEARTBEAT_MS: a `: heartbeat` comment after this long with nothing else to send. */
  heartbeatMs: number;
  /** SSE_CLIENT_BUFFER_BYTES: bytes that may wait for one client before its feed stops reading the log. */
  clientBufferBytes: number;
  /** SSE_STALL_MS: a client that takes no byte for this long while bytes wait for it is cut off. */
  stallMs: number;
  /** SSE_RETRY_MS: the reconnection delay sent to clients (the SSE `retry` field). */
  retryMs: number;
  /** SSE_MAX_CLIENTS: open feeds per process; one more is answered 503. */
  maxClients: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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

  const keyText = [env.NEWSROOM_API_KEYS, readKeyFile(env.NEWSROOM_API_KEYS_FILE)].filter(Boolean).join(',');
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

/**
 * The shape only (each entry 32 bytes, hex or base64), so a mistyped key is a configuration error
 * at start (exit 2) rather than a failure later; @app/protection parses them. Never echoes a key.
 */
function checkMasterKeys(text: string): string {
  const entries = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  entries.forEach((entry, index) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(entry) ? 32 : Buffer.from(entry, 'base64url').length;
    if (bytes !== 32 || !/^[A-Za-z0-9+/_=-]+$/.test(entry)) {
      throw new ConfigError(
        `master key #${index + 1} (NEWSROOM_MASTER_KEY, then NEWSROOM_MASTER_KEY_FILE) is not 32 bytes as 64 hex digits or base64`,
      );
    }
  });
  if (entries.length === 0) throw new ConfigError('NEWSROOM_MASTER_KEY_FILE holds no key');
  return text;
}

function readSecretFile(name: string, path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${name} ${path} cannot be read`);
  }
}

/** Beside the local database, as the local admin key: for `npm start` on one machine only. */
function localMasterKey(sqlitePath: string): string {
  const file = resolve(dirname(sqlitePath), 'local-master.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * `key:role` or `key:role:principal`, comma- or newline-separated. Without a principal name, one is
 * derived from the role and the key's position, so the key itself never reaches the log.
 */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const seen = new Set<string>();
  const items = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  items.forEach((item, index) => {
    const [key, role, principal] = item.split(':').map((s) => s.trim());
    if (!key || !role) throw new ConfigError(`API key entry #${index + 1} is not "key:role"`);
    if (!(ROLES as readonly string[]).includes(role))
      throw new ConfigError(
        `API key entry #${index + 1} has unknown role "${role}" (roles: ${ROLES.join(', ')})`,
      );
    if (key.length < 8) throw new ConfigError(`API key entry #${index + 1} is shorter than 8 characters`);
    if (seen.has(key)) throw new ConfigError(`API key entry #${index + 1} repeats an earlier key`);
    seen.add(key);
    entries.push({ key, role: role as Role, principal: principal || `${role}-${index + 1}` });
  });
  return entries;
}

function readKeyFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`NEWSROOM_API_KEYS_FILE ${path} cannot be read`);
  }
}

function localAdminKey(sqlitePath: string): { key: string; file: string } {
  const file = resolve(dirname(sqlitePath), 'local-admin.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(dirname(file), { recursive: true });
  const key = `local-${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file };
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

function parseNats(env: Env): NatsConfig | undefined {
  const url = env.NATS_URL?.trim();
  if (!url) return undefined;
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const subjectPrefix = env.NATS_SUBJECT_PREFIX || 'newsroom';
  // Subject tokens: no wildcards, spaces or empty tokens; the prefix may have several tokens.
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subjectPrefix))
    throw new ConfigError(
      `NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ or -, not "${subjectPrefix}"`,
    );
  const eventsStream = env.NATS_EVENTS_STREAM || 'NEWSROOM_EVENTS';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(eventsStream))
    throw new ConfigError(`NATS_EVENTS_STREAM must be 1-64 letters, digits, _ or -, not "${eventsStream}"`);
  return { servers, subjectPrefix, eventsStream };
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT "${value}" is not a port`);
  return port;
}

function parseFeedSettings(env: Env): FeedSettings {
  return {
    heartbeatMs: parseInteger('SSE_HEARTBEAT_MS', env.SSE_HEARTBEAT_MS, 15_000, 10),
    // No less than a socket's own high-water mark (16 KiB): one event may well be larger than that.
    clientBufferBytes: parseInteger('SSE_CLIENT_BUFFER_BYTES', env.SSE_CLIENT_BUFFER_BYTES, 1 << 20, 16_384),
    stallMs: parseInteger('SSE_STALL_MS', env.SSE_STALL_MS, 30_000, 10),
    retryMs: parseInteger('SSE_RETRY_MS', env.SSE_RETRY_MS, 2_000, 0),
    maxClients: parseInteger('SSE_MAX_CLIENTS', env.SSE_MAX_CLIENTS, 1_000, 1),
  };
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(`${name} must be an integer >= ${min}, not "${value}"`);
  return n;
}

function parseSwitch(name: string, value: string): boolean {
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, not "${value}"`);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
