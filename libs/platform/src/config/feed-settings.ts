import { ConfigError } from './config-error';

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

export function parseFeedSettings(env: Record<string, string | undefined>): FeedSettings {
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
