import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { connectNats } from '@app/feeds/nats';

/** The NATS server the broker suites use (.ci/run starts the local one when it is down). */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

let probed: { available: boolean; reason?: string } | undefined;

/** Whether the server answers, decided synchronously (Jest registers `describe` blocks synchronously). */
function probeNats(): { available: boolean; reason?: string } {
  if (probed !== undefined) return probed;
  const script = `
    const { connect } = require(${JSON.stringify(require.resolve('@nats-io/transport-node'))});
    connect({ servers: process.env.PROBE_URL, timeout: 3000 }).then((nc) => nc.close()).then(
      () => process.exit(0),
      (error) => { process.stderr.write(String(error && error.message)); process.exit(1); },
    );`;
  try {
    execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, PROBE_URL: TEST_NATS_URL },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    probed = { available: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    probed = { available: false, reason: stderr || String(error) };
  }
  return probed;
}

/** `describe` when NATS answers; under CI a failing test that says why, locally a loud skip. */
export function describeWithNats(name: string, body: () => void): void {
  const { available, reason } = probeNats();
  if (available) {
    describe(name, body);
    return;
  }
  const message =
    `NATS is not reachable at ${TEST_NATS_URL} (${reason ?? 'no reason given'}). Start it ` +
    '(start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server) or set TEST_NATS_URL.';
  if (process.env.CI) {
    describe(name, () => {
      it('needs a NATS server with JetStream', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${message}\n`);
  describe.skip(name, body);
}

/** A subject prefix and stream name no other run uses, so suites never see each other's messages. */
export function uniqueBroker(): {
  NATS_URL: string;
  NATS_SUBJECT_PREFIX: string;
  NATS_EVENTS_STREAM: string;
} {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    NATS_URL: TEST_NATS_URL,
    NATS_SUBJECT_PREFIX: `t${id}.newsroom`,
    NATS_EVENTS_STREAM: `T${id}_NEWSROOM_EVENTS`,
  };
}

export interface NatsReply<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** A client of the broker, as a newsroom service would write one. */
export class BrokerClient {
  private constructor(
    readonly connection: NatsConnection,
    private readonly prefix: string,
  ) {}

  static async connect(prefix: string): Promise<BrokerClient> {
    return new BrokerClient(await connectNats({ servers: TEST_NATS_URL }), prefix);
  }

  /** Sends a command and waits for its answer; retries while no API serves the subject yet. */
  async send<T = any>(
    command: string,
    payload: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 20_000,
  ) {
    const out = natsHeaders();
    for (const [name, value] of Object.entries(headers)) out.set(name, value);
    // A string or bytes go as they are (hostile payloads); anything else as its JSON.
    const data =
      typeof payload === 'string' || payload instanceof Uint8Array ? payload : JSON.stringify(payload);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const message = await this.connection.request(`${this.prefix}.commands.${command}`, data, {
          headers: out,
          timeout: timeoutMs,
        });
        const replyHeaders: Record<string, string> = {};
        for (const [name, values] of message.headers ?? []) replyHeaders[name] = values[0] ?? '';
        return {
          status: Number(replyHeaders['Newsroom-Status']),
          headers: replyHeaders,
          body: message.json<T>(),
        } satisfies NatsReply<T>;
      } catch (error) {
        if (attempt >= 50 || !/no responders/i.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export interface ReceivedEvent {
  seq: number;
  subject: string;
  position: string;
  msgId: string;
  event: { eventId: string; position: string; type: string; streamId: string };
}

/** One message of the events stream as the suites look at it: its place, its ids and the event. */
function receivedEvent(message: JsMsg): ReceivedEvent {
  return {
    seq: message.seq,
    subject: message.subject,
    position: message.headers?.get('Newsroom-Position') ?? '',
    msgId: message.headers?.get('Nats-Msg-Id') ?? '',
    event: message.json(),
  };
}

/**
 * Everything in the events stream, in stream order, read by an ephemeral consumer of
 * `<prefix>.events.>` from the first message; waits until the message at `untilPosition` is there.
 */
export async function readEventsStream(
  connection: NatsConnection,
  stream: string,
  prefix: string,
  untilPosition: string,
  timeoutMs = 30_000,
): Promise<ReceivedEvent[]> {
  const jsm = await jetstreamManager(connection);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = await readAll(jsm, connection, stream, prefix);
    if (received.some((r) => r.position === untilPosition)) return received;
    if (Date.now() > deadline) {
      throw new Error(
        `position ${untilPosition} never reached stream ${stream}; it holds ${received.length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function readAll(
  jsm: JetStreamManager,
  connection: NatsConnection,
  stream: string,
  prefix: string,
): Promise<ReceivedEvent[]> {
  const info = await jsm.streams.info(stream).catch(() => undefined);
  const total = info?.state.messages ?? 0;
  if (total === 0) return [];
  const consumer = await jsm.consumers.add(stream, {
    filter_subject: `${prefix}.events.>`,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 30_000_000_000,
  });
  const reader = await jetstream(connection).consumers.get(stream, consumer.name);
  const received: ReceivedEvent[] = [];
  try {
    while (received.length < total) {
      const batch = await reader.fetch({
        max_messages: Math.min(500, total - received.length),
        expires: 5_000,
      });
      let got = 0;
      for await (const message of batch) {
        got += 1;
        received.push(receivedEvent(message));
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
  }
  return received;
}

/**
 * The end of a suite on a broker of its own: its app closed, then the broker's events stream
 * deleted (runs leave no stream behind) and the client closed. Either may be missing when the
 * suite's set-up failed half way.
 */
export async function endBrokerSuite(
  broker: { NATS_EVENTS_STREAM: string },
  api: { close(): Promise<void> } | undefined,
  nats: BrokerClient | undefined,
): Promise<void> {
  await api?.close();
  if (!nats) return;
  await deleteStream(nats.connection, broker.NATS_EVENTS_STREAM);
  await nats.close();
}

export async function deleteStream(connection: NatsConnection, stream: string): Promise<void> {
  const jsm = await jetstreamManager(connection);
  await jsm.streams.delete(stream).catch(() => undefined);
}

/** A live consumer of `<prefix>.events.>` from the stream's first message, collecting as it goes. */
export async function followEventsStream(
  connection: NatsConnection,
  stream: string,
  prefix: string,
): Promise<{ received: ReceivedEvent[]; stop(): Promise<void> }> {
  const jsm = await jetstreamManager(connection);
  const consumer = await jsm.consumers.add(stream, {
    filter_subject: `${prefix}.events.>`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 60_000_000_000,
  });
  const reader = await jetstream(connection).consumers.get(stream, consumer.name);
  const messages = await reader.consume({ max_messages: 100 });
  const received: ReceivedEvent[] = [];
  const done = (async () => {
    for await (const message of messages) {
      received.push(receivedEvent(message));
      message.ack();
    }
  })();
  return {
    received,
    stop: async () => {
      await messages.close();
      await done;
      await jsm.consumers.delete(stream, consumer.name).catch(() => undefined);
    },
  };
}
