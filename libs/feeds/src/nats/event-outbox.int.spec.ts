import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { InMemoryEventStore, type StoredEvent } from '@app/event-store';
import { TestClock } from '@app/event-store/testing';
import {
  deleteStream,
  describeWithNats,
  readEventsStream,
  TEST_NATS_URL,
  uniqueBroker,
} from '../../../../test/support/nats';
import { connectNats } from './connect';
import { JetStreamEventOutbox, OutboxError } from './event-outbox';

const wire = (event: StoredEvent) => ({ ...event, position: event.position.toString() });
const quiet = { warn: () => undefined, error: () => undefined };

/** The outbox against the real NATS server, over an in-memory log. */
describeWithNats('JetStreamEventOutbox', () => {
  let connection: NatsConnection;
  let store: InMemoryEventStore;
  let names: ReturnType<typeof uniqueBroker>;
  const running: { abort: AbortController; done: Promise<void> }[] = [];

  beforeAll(async () => {
    connection = await connectNats({ servers: TEST_NATS_URL });
  });
  afterAll(() => connection.close());
  beforeEach(() => {
    store = new InMemoryEventStore(new TestClock());
    names = uniqueBroker();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.abort.abort();
      await r.done;
    }
    await deleteStream(connection, names.NATS_EVENTS_STREAM);
    await store.close();
  });

  const outbox = () =>
    new JetStreamEventOutbox({
      connection,
      store,
      stream: names.NATS_EVENTS_STREAM,
      prefix: names.NATS_SUBJECT_PREFIX,
      toWire: wire,
      log: quiet,
      retryMs: 50,
    });
  const run = (box: JetStreamEventOutbox) => {
    const abort = new AbortController();
    const entry = { abort, done: box.run(abort.signal) };
    running.push(entry);
    return entry;
  };
  async function append(count: number): Promise<StoredEvent[]> {
    const appended: StoredEvent[] = [];
    for (let n = 0; n < count; n += 1) {
      const type = n % 2 ? 'StatementReported' : 'ClaimOpened';
      const event = { eventId: randomUUID(), type, schemaVersion: 1, data: { n }, metadata: meta };
      appended.push(...(await store.append(`claim-${n % 3}`, [event], 'any')).events);
    }
    return appended;
  }
  const stream = async () => {
    const head = (await store.headPosition()).toString();
    return readEventsStream(connection, names.NATS_EVENTS_STREAM, names.NATS_SUBJECT_PREFIX, head);
  };

  it('publishes the log in order, then what is appended while it follows', async () => {
    const before = await append(5);
    run(outbox());
    const after = await append(5);
    const received = await stream();
    expect(received.map((m) => m.event)).toEqual([...before, ...after].map(wire));
    expect(received.map((m) => m.msgId)).toEqual([...before, ...after].map((e) => e.eventId));
    expect(received.map((m) => m.subject)).toEqual(
      [...before, ...after].map((e) => `${names.NATS_SUBJECT_PREFIX}.events.${e.type}`),
    );
  });

  it('resumes from the stream, not from memory: a new publisher adds only what is missing', async () => {
    await append(4);
    const first = run(outbox());
    await stream();
    first.abort.abort();
    await first.done;
    await append(3);
    const second = outbox();
    expect((await second.checkpoint()).position).toBe(4n);
    run(second);
    const received = await stream();
    expect(received.map((m) => m.position)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('stores each event once, in log order, with three publishers racing on one stream', async () => {
    await append(60);
    const publishers = [outbox(), outbox(), outbox()];
    publishers.forEach(run);
    await append(30);
    const received = await stream();
    // They did race: some publishes found another's message already there, and went on from it.
    expect(publishers.reduce((sum, p) => sum + p.racesLost, 0)).toBeGreaterThan(0);
    const log = await store.readAll({ after: 0n, limit: 1000 });
    expect(received.map((m) => m.msgId)).toEqual(log.map((e) => e.eventId));
    expect(received.map((m) => m.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it('refuses a stream that does not capture its subjects', async () => {
    const jsm = await jetstreamManager(connection);
    await jsm.streams.add({
      name: names.NATS_EVENTS_STREAM,
      subjects: [`${names.NATS_SUBJECT_PREFIX}.other.>`],
    });
    await expect(outbox().ensureStream()).rejects.toMatchObject({ code: 'NATS_STREAM_SUBJECTS' });
  });

  it('will not republish the log into a purged stream (consumers would see it twice)', async () => {
    await append(3);
    const box = outbox();
    const first = run(box);
    await stream();
    first.abort.abort();
    await first.done;
    await (await jetstreamManager(connection)).streams.purge(names.NATS_EVENTS_STREAM);
    const error = await box.checkpoint().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboxError);
    expect(error).toMatchObject({ code: 'NATS_CHECKPOINT_LOST' });
  });
});

const meta = { principal: 'outbox-test', correlationId: 'outbox-test' };
