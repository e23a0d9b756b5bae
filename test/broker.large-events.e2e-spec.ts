import { convoyClaimBody, createdId, statementBody } from './support/bodies';
import {
  BrokerClient,
  describeWithNats,
  endBrokerSuite,
  readEventsStream,
  uniqueBroker,
} from './support/nats';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * One event can be larger than NATS takes in a message (the server's max_payload, 1 MB by
 * default): a ClaimAbsorbed carries every statement of the merged claim, each up to the HTTP body
 * limit. The events stream must go on past it — it gets the event's place in the log, not its
 * data — and every later event must still be published (runs on SQLite and PostgreSQL).
 */
describeWithNats('events too large for a NATS message', () => {
  const broker = uniqueBroker();
  let api: TestApp;
  let nats: BrokerClient;

  beforeAll(async () => {
    api = await startTestApp(broker);
    nats = await BrokerClient.connect(broker.NATS_SUBJECT_PREFIX);
  });
  afterAll(() => endBrokerSuite(broker, api, nats));

  const created = (path: string, body: object) => createdId(api, path, body);
  const claim = () => created('/claims', convoyClaimBody('story-large-events'));

  it('publishes the place of an event over max_payload, and every event after it', async () => {
    const maxPayload = nats.connection.info?.max_payload ?? 1024 * 1024;
    const source = await created('/sources', { name: 'Raqqa Civil Council', kind: 'organization' });
    const survivor = await claim();
    const merged = await claim();
    const long = 'word '.repeat(1_999);
    const statements = Math.ceil(maxPayload / (4 * long.length)) + 1;
    for (let i = 0; i < statements; i += 1) {
      await created(`/claims/${merged}/statements`, {
        ...statementBody(source, 'affirms', true),
        quote: { text: long, language: 'en', translation: { text: long, language: 'fr' } },
      });
    }
    await created(`/claims/${merged}/merger`, { intoClaimId: survivor, reason: 'one proposition' });
    const log = (await api.get('/events?after=0&limit=1000', 'auditor')).body.events as {
      type: string;
      position: string;
    }[];
    const absorbed = log.find((e) => e.type === 'ClaimAbsorbed')!;
    expect(JSON.stringify(absorbed).length).toBeGreaterThan(maxPayload);

    const after = await created('/sources', { name: 'SDF', kind: 'organization' });
    const last = (await api.get('/health')).body.head as string;
    const stream = await readEventsStream(
      nats.connection,
      broker.NATS_EVENTS_STREAM,
      broker.NATS_SUBJECT_PREFIX,
      last,
    );
    expect(stream.map((m) => m.position)).toEqual([...log.map((e) => e.position), last]);
    const placed = stream.find((m) => m.position === absorbed.position)!;
    expect(placed.event).toMatchObject({
      type: 'ClaimAbsorbed',
      position: absorbed.position,
      dataOmitted: 'too-large',
    });
    expect(stream.at(-1)!.event).toMatchObject({ type: 'SourceRegistered', streamId: `source-${after}` });
  }, 120_000);
});
