import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TEST_DATABASE_URL,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../libs/event-store/src/postgres/testing/test-database';
import { API_KEYS, buildApps, type Running, startApi, stop } from './scale-out/processes';
import { statementBody } from './support/bodies';
import {
  BrokerClient,
  deleteStream,
  describeWithNats,
  followEventsStream,
  readEventsStream,
  uniqueBroker,
} from './support/nats';
import { KEYS } from './support/test-app';

const POSTGRES = process.env.E2E_EVENT_STORE === 'postgres';
const auth = { Authorization: `Bearer ${KEYS.reporter}` };

/**
 * The events stream across crashes, as real processes: an API is SIGKILLed while commands stream
 * in over NATS (appends whose publish it never finished), events are appended by an API that
 * publishes nothing (no NATS_URL), and then the API starts again — on PostgreSQL as two replicas
 * publishing at once. A consumer of `<prefix>.events.>` that follows the stream all along
 * receives every event of the log exactly once, in log order.
 */
describeWithNats('the events stream across an API SIGKILL and restart', () => {
  const broker = uniqueBroker();
  const schema = uniqueSchemaName('broker');
  let dir: string;
  let nats: BrokerClient;
  const running: Running[] = [];

  beforeAll(async () => {
    buildApps();
    dir = mkdtempSync(join(tmpdir(), 'newsroom-broker-'));
    nats = await BrokerClient.connect(broker.NATS_SUBJECT_PREFIX);
  }, 300_000);
  afterAll(async () => {
    for (const process of running) await stop(process, 'SIGKILL');
    await deleteStream(nats.connection, broker.NATS_EVENTS_STREAM);
    await nats.close();
    if (POSTGRES) {
      const admin = testPool({ max: 1 });
      await dropSchema(admin, schema).finally(() => admin.end());
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (name: string, withNats = true): Record<string, string> => ({
    NEWSROOM_API_KEYS: API_KEYS,
    ...(POSTGRES
      ? {
          EVENT_STORE: 'postgres',
          DATABASE_URL: TEST_DATABASE_URL,
          NEWSROOM_PG_SCHEMA: schema,
          NEWSROOM_DB: join(dir, `${name}.db`),
        }
      : { EVENT_STORE: 'sqlite', NEWSROOM_DB: join(dir, 'newsroom.db') }),
    ...(withNats ? broker : {}),
  });
  const start = async (name: string, withNats = true) => {
    const api = await startApi(name, env(name, withNats));
    running.push(api);
    return api;
  };

  async function sourceAndClaim(): Promise<{ sourceId: string; claimId: string }> {
    const source = await nats.send(
      'register-source',
      { name: 'Raqqa Civil Council', kind: 'organization' },
      auth,
    );
    expect(source.status).toBe(201);
    const claim = await nats.send(
      'open-claim',
      {
        storyId: 'broker-restart',
        proposition: { text: 'The convoy left', language: 'en' },
        valueKind: 'boolean',
      },
      auth,
    );
    expect(claim.status).toBe(201);
    return { sourceId: source.body.id, claimId: claim.body.id };
  }

  interface Sent {
    msgId: string;
    body: Record<string, unknown>;
  }

  /**
   * Reports statements over NATS, `parallel` at a time, each with its own Nats-Msg-Id and quote; a
   * lane stops at its first lost answer (a kill) and returns it. `onAnswer` hears the count of 201s.
   */
  async function report(
    ids: { sourceId: string; claimId: string },
    count: number,
    onAnswer: (ok: number) => void = () => undefined,
    parallel = 4,
  ): Promise<{ ok: number; lost: Sent[] }> {
    let ok = 0;
    const lost: Sent[] = [];
    await Promise.all(
      Array.from({ length: parallel }, async (_, lane) => {
        for (let n = lane; n < count; n += parallel) {
          const base = statementBody(ids.sourceId, n % 2 ? 'affirms' : 'denies', n % 2 === 1);
          const quote = { ...base.quote, text: `statement ${n} ${randomUUID()}` };
          const sent = { msgId: randomUUID(), body: { claimId: ids.claimId, ...base, quote } };
          const reply = await nats
            .send('report-statement', sent.body, { ...auth, 'Nats-Msg-Id': sent.msgId }, 5_000)
            .catch(() => undefined);
          if (reply?.status !== 201) {
            lost.push(sent);
            return;
          }
          ok += 1;
          onAnswer(ok);
        }
      }),
    );
    return { ok, lost };
  }

  it('delivers every appended event once, in log order', async () => {
    const first = await start('api-1');
    const consumer = await followEventsStream(
      nats.connection,
      broker.NATS_EVENTS_STREAM,
      broker.NATS_SUBJECT_PREFIX,
    );
    try {
      const ids = await sourceAndClaim();
      // SIGKILL while 4 lanes of commands are appending and publishing, after the 30th answer.
      let killing: Promise<void> | undefined;
      const { ok: answered, lost } = await report(ids, 400, (ok) => {
        if (ok === 30) killing = stop(first, 'SIGKILL');
      });
      await killing;
      expect(answered).toBeGreaterThanOrEqual(30);
      expect(lost.length).toBeGreaterThan(0);

      // Appended while no process publishes: the outbox must find them in the log later.
      const quiet = await start('api-quiet', false);
      for (let n = 0; n < 5; n += 1) {
        const res = await fetch(`${quiet.url}/claims/${ids.claimId}/statements`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.reporter}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            ...statementBody(ids.sourceId, 'uncertain'),
            quote: { text: `quiet ${n} ${randomUUID()}`, language: 'en' },
          }),
        });
        expect(res.status).toBe(201);
      }
      await stop(quiet);

      // Restarted; on PostgreSQL two replicas publish from the same log at the same time.
      const again = await start('api-2');
      if (POSTGRES) await start('api-3');
      expect((await report(ids, 12)).ok).toBe(12);
      // The commands whose answers the kill lost, sent again with their message ids: each is
      // recorded once, whether or not it had committed before the kill (200 replay or 201).
      for (const sent of lost) {
        const retry = await nats.send('report-statement', sent.body, { ...auth, 'Nats-Msg-Id': sent.msgId });
        expect([200, 201]).toContain(retry.status);
      }

      const log = await allEvents(again.url!);
      const head = log[log.length - 1]!.position;
      const stream = await readEventsStream(
        nats.connection,
        broker.NATS_EVENTS_STREAM,
        broker.NATS_SUBJECT_PREFIX,
        head,
      );
      expect(stream.map((m) => m.event)).toEqual(log);
      await waitFor(() => consumer.received.some((m) => m.position === head));
      expect(consumer.received.map((m) => m.msgId)).toEqual(log.map((e) => e.eventId));
      expect(consumer.received.map((m) => m.event)).toEqual(log);
      const quotes = log.flatMap((e) =>
        e.type === 'StatementReported' ? [(e.data as { quote: { text: string } }).quote.text] : [],
      );
      expect(new Set(quotes).size).toBe(quotes.length);
      for (const sent of lost) expect(quotes).toContain((sent.body.quote as { text: string }).text);
    } finally {
      await consumer.stop();
    }
  }, 180_000);
});

interface LogEvent {
  eventId: string;
  position: string;
  type: string;
  data: unknown;
}

async function allEvents(url: string): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  for (let after = '0'; ;) {
    const res = await fetch(`${url}/events?after=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${KEYS.auditor}` },
    });
    const page = (await res.json()) as { events: LogEvent[]; next: string | null };
    events.push(...page.events);
    if (page.next === null) return events;
    after = page.next;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the consumer never received the head of the log');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
