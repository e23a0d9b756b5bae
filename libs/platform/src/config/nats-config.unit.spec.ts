import { ConfigError, loadConfig } from './app-config';

const base = { NEWSROOM_API_KEYS: 'alpha-key-1:admin', NEWSROOM_DB: '/tmp/newsroom-nats-config.db' };

describe('NATS configuration (docs/decisions/0015)', () => {
  it('is off unless NATS_URL is set', () => {
    expect(loadConfig(base).nats).toBeUndefined();
    expect(loadConfig({ ...base, NATS_URL: ' ' }).nats).toBeUndefined();
  });

  it('reads the servers, and defaults the subject prefix and the events stream', () => {
    expect(loadConfig({ ...base, NATS_URL: 'nats://a:4222, nats://b:4222' }).nats).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      subjectPrefix: 'newsroom',
      eventsStream: 'NEWSROOM_EVENTS',
    });
    const custom = loadConfig({
      ...base,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_SUBJECT_PREFIX: 'desk.newsroom',
      NATS_EVENTS_STREAM: 'DESK_EVENTS',
    }).nats;
    expect(custom).toMatchObject({ subjectPrefix: 'desk.newsroom', eventsStream: 'DESK_EVENTS' });
  });

  it.each([
    ['a wildcard prefix', { NATS_SUBJECT_PREFIX: 'newsroom.>' }, /NATS_SUBJECT_PREFIX/],
    ['an empty prefix token', { NATS_SUBJECT_PREFIX: 'newsroom..x' }, /NATS_SUBJECT_PREFIX/],
    ['a stream name with a dot', { NATS_EVENTS_STREAM: 'NEWSROOM.EVENTS' }, /NATS_EVENTS_STREAM/],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    const load = () => loadConfig({ ...base, NATS_URL: 'nats://127.0.0.1:4222', ...env });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
