import { ConfigError, loadConfig } from './app-config';

const base = { NEWSROOM_API_KEYS: 'a-long-test-key:admin' };

describe('SSE feed settings', () => {
  it('has defaults', () => {
    expect(loadConfig(base).feeds).toEqual({
      heartbeatMs: 15_000,
      clientBufferBytes: 1_048_576,
      stallMs: 30_000,
      retryMs: 2_000,
      maxClients: 1_000,
    });
  });

  it('reads SSE_* variables', () => {
    const env = {
      ...base,
      SSE_HEARTBEAT_MS: '500',
      SSE_CLIENT_BUFFER_BYTES: '65536',
      SSE_STALL_MS: '300',
      SSE_RETRY_MS: '0',
      SSE_MAX_CLIENTS: '3',
    };
    expect(loadConfig(env).feeds).toEqual({
      heartbeatMs: 500,
      clientBufferBytes: 65_536,
      stallMs: 300,
      retryMs: 0,
      maxClients: 3,
    });
  });

  it.each([
    ['SSE_CLIENT_BUFFER_BYTES', '1024'],
    ['SSE_HEARTBEAT_MS', 'soon'],
    ['SSE_STALL_MS', '1.5'],
    ['SSE_MAX_CLIENTS', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
  });
});
