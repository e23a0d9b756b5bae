import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { describeWithNats, TEST_NATS_URL, uniqueBroker } from '../../../../test/support/nats';
import { type CommandReply, type IncomingCommand, NatsCommandServer } from './command-server';
import { connectNats } from './connect';

/** The command server against the real NATS server, with a stand-in for the app's dispatcher. */
describeWithNats('NatsCommandServer', () => {
  let connection: NatsConnection;
  let prefix: string;
  let server: NatsCommandServer;
  let seen: IncomingCommand[];
  let release: () => void;
  let held: Promise<void>;

  beforeAll(async () => {
    connection = await connectNats({ servers: TEST_NATS_URL });
  });
  afterAll(() => connection.close());
  beforeEach(() => {
    prefix = uniqueBroker().NATS_SUBJECT_PREFIX;
    seen = [];
    held = Promise.resolve();
  });
  afterEach(async () => {
    release?.();
    await server.stop();
  });

  const start = (maxInFlight?: number) => {
    server = new NatsCommandServer(connection, {
      prefix,
      maxPayloadBytes: 64,
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      busy: () => ({ status: 503, body: { code: 'BUSY' } }),
      onError: (error) => {
        throw error;
      },
      handle: async (command): Promise<CommandReply> => {
        seen.push(command);
        await held;
        return { status: 201, body: { ok: command.name }, etag: '"3"', replayed: true };
      },
    });
    server.start();
  };
  const request = (command: string, data: string, set: Record<string, string> = {}) => {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(set)) h.set(k, v);
    return connection.request(`${prefix}.commands.${command}`, data, { headers: h, timeout: 5_000 });
  };

  it("hands the command, HTTP's headers (any case) and the payload over, and answers with HTTP's", async () => {
    start();
    const reply = await request('open-claim', '{"storyId":"s"}', {
      authorization: 'Bearer k',
      'nats-msg-id': 'm-1',
      'Idempotency-Key': 'i-1',
      'If-Match': '"2"',
      'X-Correlation-Id': 'c-1',
    });
    expect(seen).toEqual([
      {
        name: 'open-claim',
        payload: { storyId: 's' },
        size: 15,
        authorization: 'Bearer k',
        msgId: 'm-1',
        idempotencyKey: 'i-1',
        ifMatch: '"2"',
        correlationId: 'c-1',
      },
    ]);
    expect(reply.json()).toEqual({ ok: 'open-claim' });
    expect(reply.headers?.get('Newsroom-Status')).toBe('201');
    expect(reply.headers?.get('ETag')).toBe('"3"');
    expect(reply.headers?.get('Idempotent-Replayed')).toBe('true');
    expect(reply.headers?.get('Content-Type')).toBe('application/json');
  });

  it('does not parse a payload over the limit, and says when one is not JSON', async () => {
    start();
    await request('open-claim', JSON.stringify({ text: 'x'.repeat(100) }));
    await request('open-claim', '{"text": ');
    expect(seen[0]).toMatchObject({ payload: undefined, size: 111 });
    expect(seen[0]?.malformed).toBeUndefined();
    expect(seen[1]).toMatchObject({ payload: undefined, malformed: expect.any(String) });
  });

  it('answers busy at once past its bound of commands in flight, and runs the others', async () => {
    held = new Promise((resolve) => (release = resolve));
    start(2);
    const first = request('a', '{}');
    const second = request('b', '{}');
    while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const third = await request('c', '{}');
    expect(third.headers?.get('Newsroom-Status')).toBe('503');
    expect(third.json()).toEqual({ code: 'BUSY' });
    expect(seen.map((c) => c.name)).toEqual(['a', 'b']);
    release();
    expect((await first).json()).toEqual({ ok: 'a' });
    expect((await second).json()).toEqual({ ok: 'b' });
  });
});
