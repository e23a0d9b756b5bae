import { ConfigError } from './app-config';
import { HTTP_LIMIT_VARIABLES, parseHttpLimits } from './http-limits';

describe('HTTP limits (NEWSROOM_HTTP_*)', () => {
  it('has defaults that bound every slow client', () => {
    expect(parseHttpLimits({})).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 120_000,
      maxConnections: 1024,
      maxConnectionsPerAddress: 128,
    });
  });

  it('reads each variable, 0 switching off what may be switched off', () => {
    const env = Object.fromEntries(
      Object.values(HTTP_LIMIT_VARIABLES).map(([name], i) => [name, String(1000 + i)]),
    );
    expect(Object.values(parseHttpLimits(env))).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(
      parseHttpLimits({
        NEWSROOM_HTTP_REQUEST_TIMEOUT_MS: '0',
        NEWSROOM_HTTP_IDLE_TIMEOUT_MS: '0',
        NEWSROOM_HTTP_MAX_CONNECTIONS: '0',
        NEWSROOM_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
      }),
    ).toMatchObject({
      requestTimeoutMs: 0,
      idleTimeoutMs: 0,
      maxConnections: 0,
      maxConnectionsPerAddress: 0,
    });
  });

  it.each([
    [{ NEWSROOM_HTTP_REQUEST_TIMEOUT_MS: '30s' }, /NEWSROOM_HTTP_REQUEST_TIMEOUT_MS must be a whole number/],
    [{ NEWSROOM_HTTP_MAX_CONNECTIONS: '-1' }, /NEWSROOM_HTTP_MAX_CONNECTIONS must be a whole number/],
    [{ NEWSROOM_HTTP_IDLE_TIMEOUT_MS: '99999999999' }, /from 0 to 86400000/],
    [{ NEWSROOM_HTTP_HEADERS_TIMEOUT_MS: '0' }, /HEADERS_TIMEOUT_MS must be at least 1/],
    [{ NEWSROOM_HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, /KEEP_ALIVE_TIMEOUT_MS must be at least 1/],
    [
      { NEWSROOM_HTTP_HEADERS_TIMEOUT_MS: '5000', NEWSROOM_HTTP_REQUEST_TIMEOUT_MS: '1000' },
      /must not exceed NEWSROOM_HTTP_REQUEST_TIMEOUT_MS/,
    ],
  ])('refuses %p with a message that says what to fix', (env, message) => {
    expect(() => parseHttpLimits(env)).toThrow(ConfigError);
    expect(() => parseHttpLimits(env)).toThrow(message);
  });
});
