import { ConfigError } from './config-error';

/**
 * What one client may hold of the HTTP server (docs/security.md, "Limits and timeouts"). Node's
 * own defaults let a client that sends one byte of body every 30 s keep its connection forever
 * (Fastify turns the request timeout off), and any number of such connections.
 */
export interface HttpLimits {
  /** The request line and headers must arrive within this (else 408 and the connection closes). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this (else 408 and close); 0 = none. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way (e.g. a client that stops reading) is dropped after this; 0 = none. */
  idleTimeoutMs: number;
  /** Connections open at once, over all clients; beyond it new ones are closed at once. 0 = no cap. */
  maxConnections: number;
  /** Connections open at once from one client address; beyond it new ones are closed at once. 0 = no cap. */
  maxConnectionsPerAddress: number;
}

/** Each limit, its variable and its default (the README's Configuration table says the same). */
export const HTTP_LIMIT_VARIABLES = {
  headersTimeoutMs: ['NEWSROOM_HTTP_HEADERS_TIMEOUT_MS', 10_000],
  requestTimeoutMs: ['NEWSROOM_HTTP_REQUEST_TIMEOUT_MS', 30_000],
  keepAliveTimeoutMs: ['NEWSROOM_HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000],
  idleTimeoutMs: ['NEWSROOM_HTTP_IDLE_TIMEOUT_MS', 120_000],
  maxConnections: ['NEWSROOM_HTTP_MAX_CONNECTIONS', 1024],
  maxConnectionsPerAddress: ['NEWSROOM_HTTP_MAX_CONNECTIONS_PER_ADDRESS', 128],
} as const satisfies Record<keyof HttpLimits, readonly [string, number]>;

/** Timeouts above a day are a typo, not a policy; connection counts above a million too. */
const CEILING: Record<keyof HttpLimits, number> = {
  headersTimeoutMs: 86_400_000,
  requestTimeoutMs: 86_400_000,
  keepAliveTimeoutMs: 86_400_000,
  idleTimeoutMs: 86_400_000,
  maxConnections: 1_000_000,
  maxConnectionsPerAddress: 1_000_000,
};

export function parseHttpLimits(env: Record<string, string | undefined>): HttpLimits {
  const limits = {} as HttpLimits;
  for (const [field, [name, fallback]] of Object.entries(HTTP_LIMIT_VARIABLES)) {
    const key = field as keyof HttpLimits;
    limits[key] = parseCount(name, env[name], fallback, CEILING[key]);
  }
  // Headers and keep-alive must be bounded (Node treats 0 as "never" for some and refuses it for others).
  for (const key of ['headersTimeoutMs', 'keepAliveTimeoutMs'] as const) {
    if (limits[key] === 0) throw new ConfigError(`${HTTP_LIMIT_VARIABLES[key][0]} must be at least 1`);
  }
  // Node refuses a headers timeout longer than the whole request's.
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(
      'NEWSROOM_HTTP_HEADERS_TIMEOUT_MS must not exceed NEWSROOM_HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  return limits;
}

function parseCount(name: string, value: string | undefined, fallback: number, ceiling: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,10}$/.test(value) || Number(value) > ceiling)
    throw new ConfigError(`${name} must be a whole number from 0 to ${ceiling}, not "${value}"`);
  return Number(value);
}
