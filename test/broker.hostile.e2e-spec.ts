import { BrokerClient, describeWithNats, endBrokerSuite, uniqueBroker } from './support/nats';
import { KEYS, startTestApp, type TestApp } from './support/test-app';

/**
 * A NATS command payload is the POST's body by another road: the strict JSON rules of HTTP's body
 * parser (json-body.ts, docs/decisions/0017) hold for it too, with the same codes, and nothing
 * is appended. Runs on SQLite and, with E2E_EVENT_STORE=postgres, on PostgreSQL (where a NUL in
 * text would otherwise be a 500 from jsonb).
 */
describeWithNats('hostile payloads over NATS', () => {
  const broker = uniqueBroker();
  let api: TestApp;
  let nats: BrokerClient;
  const bearer = { Authorization: `Bearer ${KEYS.reporter}` };

  beforeAll(async () => {
    api = await startTestApp(broker);
    nats = await BrokerClient.connect(broker.NATS_SUBJECT_PREFIX);
  });
  afterAll(() => endBrokerSuite(broker, api, nats));

  const head = async (): Promise<string> => (await api.get('/health')).body.head;
  const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const source = (name: string) => `{"name":${name},"kind":"person"}`;

  const cases: [string, string | Uint8Array, string][] = [
    ['a NUL in a text', source('"Talal\\u0000Silo"'), 'INVALID_TEXT'],
    ['a lone surrogate', source('"Talal \\ud800 Silo"'), 'INVALID_TEXT'],
    ['a field named __proto__', '{"name":"Silo","kind":"person","__proto__":{"x":1}}', 'FORBIDDEN_FIELD'],
    ['a number beyond double range', `{"name":"Silo","kind":"person","x":1e999}`, 'NUMBER_OUT_OF_RANGE'],
    ['nesting deeper than the limit', `{"name":"Silo","kind":"person","x":${nested(40)}}`, 'JSON_TOO_DEEP'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([
        Buffer.from('{"name":"Sil'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('o","kind":"person"}'),
      ]),
      'INVALID_UTF8',
    ],
  ];

  it.each(cases)('refuses %s as HTTP does, and appends nothing', async (_what, payload, code) => {
    const before = await head();
    // (fetch sends a string as UTF-8: the bytes case is HTTP's own test, test/hostile.)
    if (typeof payload === 'string') {
      const http = await api.request('POST', '/sources', { rawBody: payload, as: 'reporter' });
      expect([http.status, http.body.code]).toEqual([400, code]);
    }
    const answer = await nats.send('register-source', payload, bearer);
    expect([answer.status, answer.body.code]).toEqual([400, code]);
    expect(await head()).toBe(before);
  });
});
