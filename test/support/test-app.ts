import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createApp } from '../../apps/newsroom-api/src/bootstrap';
import { type AppConfig, loadConfig } from '@app/platform';
import {
  TEST_DATABASE_URL,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../../libs/event-store/src/postgres/testing/test-database';

export const KEYS = {
  reporter: 'test-reporter-key',
  editor: 'test-editor-key',
  auditor: 'test-auditor-key',
  admin: 'test-admin-key',
} as const;
export type Who = keyof typeof KEYS | 'nobody';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  as?: Who;
  body?: unknown;
  /** Sent as is, for malformed-JSON tests. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  url: string;
  dbPath: string;
  /** The PostgreSQL schema holding the log, when the app runs on EVENT_STORE=postgres. */
  pgSchema?: string;
  app: NestFastifyApplication;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  get<T = any>(path: string, as?: Who): Promise<TestResponse<T>>;
  post<T = any>(
    path: string,
    body: unknown,
    options?: Omit<RequestOptions, 'body'>,
  ): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

/**
 * `E2E_EVENT_STORE=postgres` runs the suites on the PostgreSQL backend: every app a test starts
 * without naming an EVENT_STORE gets a fresh schema on TEST_DATABASE_URL (the log, idempotency
 * keys), dropped when it closes. Tests that are about the SQLite file itself name
 * `EVENT_STORE: 'sqlite'` and say why. An unreachable server fails such a run: it never skips.
 */
const E2E_EVENT_STORE = process.env.E2E_EVENT_STORE ?? 'sqlite';

/** One master key per test process (so a restarted app opens what it sealed), never a fixed one. */
export const TEST_MASTER_KEY = randomBytes(32).toString('hex');

/** The real app, listening on a free loopback port, on a SQLite file of its own. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    dbPath?: string;
    /** Listen here (a restarted app where its clients reconnect); default: a free port. */
    port?: number;
    /** Capture the app's log (default: silent). */
    logger?: pino.Logger;
  } = {},
): Promise<TestApp> {
  // A given dbPath belongs to the caller (restart tests); a fresh one is removed on close.
  const dir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'newsroom-e2e-')) : undefined;
  const dbPath = options.dbPath ?? join(dir!, 'newsroom.db');
  const ownSchema =
    env.EVENT_STORE === undefined && E2E_EVENT_STORE === 'postgres' ? uniqueSchemaName('e2e') : undefined;
  const config: AppConfig = loadConfig({
    NEWSROOM_DB: dbPath,
    NEWSROOM_API_KEYS: Object.entries(KEYS)
      .map(([role, key]) => `${key}:${role}:${role}-test`)
      .join(','),
    NEWSROOM_DEMO: 'off',
    NEWSROOM_MASTER_KEY: TEST_MASTER_KEY,
    ...(ownSchema === undefined
      ? {}
      : { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, NEWSROOM_PG_SCHEMA: ownSchema }),
    ...env,
  });
  const dropOwnSchema = async () => {
    if (ownSchema === undefined) return;
    const admin = testPool({ max: 1 });
    try {
      await dropSchema(admin, ownSchema);
    } finally {
      await admin.end();
    }
  };
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, options.logger ?? pino({ level: 'silent' }));
  } catch (error) {
    await dropOwnSchema();
    throw error;
  }
  // A given port: a restarted app where its clients reconnect (the SSE feeds).
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  const request = async <T>(method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const who = options.as ?? 'admin';
    if (who !== 'nobody') headers.authorization = `Bearer ${KEYS[who]}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text.length > 0 ? (JSON.parse(text) as T) : (text as T);
    return { status: res.status, headers: res.headers, body: parsed };
  };

  return {
    url,
    dbPath,
    ...(config.eventStore === 'postgres' ? { pgSchema: config.postgresSchema } : {}),
    app,
    request,
    get: (path, as) => request('GET', path, { as }),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    close: async () => {
      await app.close();
      await dropOwnSchema();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until `GET /health` reports no projection lag: on PostgreSQL the projector may still be
 * catching up when a write's answer returns to a test that then reads the same data twice.
 */
export async function projectionsCaughtUp(api: TestApp): Promise<void> {
  for (let tries = 0; (await api.get<{ lag: string }>('/health')).body.lag !== '0'; tries += 1) {
    if (tries > 200) throw new Error('the read models never caught up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
