import { randomUUID } from 'node:crypto';
import { statementBody } from './support/bodies';
import {
  BrokerClient,
  describeWithNats,
  endBrokerSuite,
  readEventsStream,
  uniqueBroker,
} from './support/nats';
import { KEYS, startTestApp, type TestApp } from './support/test-app';

/**
 * Commands and events over NATS JetStream (docs/decisions/0015) against the real server: the same
 * validation, idempotency, authorisation and answers as HTTP, and every event of the log in the
 * events stream once, in log order. Runs on SQLite and, with E2E_EVENT_STORE=postgres, on PostgreSQL.
 */
describeWithNats('commands and events over NATS', () => {
  const broker = uniqueBroker();
  const prefix = broker.NATS_SUBJECT_PREFIX;
  let api: TestApp;
  let nats: BrokerClient;
  const bearer = (who: keyof typeof KEYS) => ({ Authorization: `Bearer ${KEYS[who]}` });

  beforeAll(async () => {
    api = await startTestApp(broker);
    nats = await BrokerClient.connect(prefix);
  });
  afterAll(() => endBrokerSuite(broker, api, nats));

  const head = async (): Promise<string> => (await api.get('/health')).body.head;

  async function claimWithSource(): Promise<{ claimId: string; sourceId: string }> {
    const source = await nats.send(
      'register-source',
      { name: 'Talal Silo', kind: 'person' },
      bearer('reporter'),
    );
    expect(source.status).toBe(201);
    const claim = await nats.send(
      'open-claim',
      {
        storyId: 'story-nats',
        proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
        valueKind: 'boolean',
      },
      bearer('reporter'),
    );
    expect(claim.status).toBe(201);
    return { claimId: claim.body.id, sourceId: source.body.id };
  }

  it('runs commands sent over NATS, answering as HTTP does; HTTP reads them back', async () => {
    const { claimId, sourceId } = await claimWithSource();
    const reported = await nats.send(
      'report-statement',
      { claimId, ...statementBody(sourceId, 'affirms', true) },
      bearer('reporter'),
    );
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({ id: expect.any(String), streamVersion: 2, position: expect.any(String) });
    expect(reported.headers.ETag).toBe('"2"');

    const read = await api.get(`/claims/${claimId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('single-source');
    expect(read.body.positions).toEqual([
      expect.objectContaining({ sourceId, stance: 'affirms', value: true }),
    ]);
    // The events carry the principal of the key that sent them, as over HTTP.
    const events = await api.get(`/events?after=${BigInt(reported.body.position) - 1n}&limit=1`, 'auditor');
    expect(events.body.events[0].metadata.principal).toBe('reporter-test');
  });

  it('runs a message id once: a replay answers the first answer and appends nothing', async () => {
    const messageId = randomUUID();
    const body = { name: 'Syrian Democratic Forces', kind: 'organization' };
    const first = await nats.send('register-source', body, {
      ...bearer('reporter'),
      'Nats-Msg-Id': messageId,
    });
    expect(first.status).toBe(201);
    const before = await head();
    const again = await nats.send('register-source', body, {
      ...bearer('reporter'),
      'Nats-Msg-Id': messageId,
    });
    expect(again.status).toBe(200);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await head()).toBe(before);
    // The same id with another body is another request: 422, as for a reused Idempotency-Key.
    const other = await nats.send(
      'register-source',
      { ...body, name: 'YPG' },
      {
        ...bearer('reporter'),
        'Nats-Msg-Id': messageId,
      },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await head()).toBe(before);
  });

  it('shares Idempotency-Key with HTTP: the same POST retried over HTTP replays the NATS answer', async () => {
    const { claimId } = await claimWithSource();
    const key = `shared-${randomUUID()}`;
    const body = { proposition: { text: 'Foreign fighters left Raqqa', language: 'en' }, reason: 'clearer' };
    const overNats = await nats.send(
      'reword-claim',
      { claimId, ...body },
      {
        ...bearer('reporter'),
        'Idempotency-Key': key,
      },
    );
    expect(overNats.status).toBe(201);
    const before = await head();
    const overHttp = await api.post(`/claims/${claimId}/rewordings`, body, {
      as: 'reporter',
      headers: { 'idempotency-key': key },
    });
    expect(overHttp.status).toBe(200);
    expect(overHttp.headers.get('idempotent-replayed')).toBe('true');
    expect(overHttp.body).toEqual(overNats.body);
    expect(await head()).toBe(before);
  });

  it('answers an invalid body with the problem details HTTP gives, and appends nothing', async () => {
    const { claimId, sourceId } = await claimWithSource();
    const before = await head();
    const bad = { ...statementBody(sourceId, 'sure'), quote: { text: '', language: 'arabic' }, extra: 1 };
    const overNats = await nats.send('report-statement', { claimId, ...bad }, bearer('reporter'));
    const overHttp = await api.post(`/claims/${claimId}/statements`, bad, { as: 'reporter' });
    expect(overHttp.status).toBe(400);
    expect(overNats.status).toBe(400);
    expect(overNats.headers['Content-Type']).toBe('application/problem+json');
    expect(overNats.body).toEqual(overHttp.body);
    expect(overNats.body.code).toBe('VALIDATION_FAILED');
    // A domain refusal too: a statement for a source that does not exist.
    const unknown = { ...statementBody(randomUUID(), 'affirms', true) };
    const domainNats = await nats.send('report-statement', { claimId, ...unknown }, bearer('reporter'));
    const domainHttp = await api.post(`/claims/${claimId}/statements`, unknown, { as: 'reporter' });
    expect(domainNats.status).toBe(422);
    expect(domainNats.body).toEqual(domainHttp.body);
    expect(await head()).toBe(before);
  });

  it('checks If-Match as HTTP does: a stale stream version is 412 and appends nothing', async () => {
    const { claimId } = await claimWithSource();
    const body = {
      claimId,
      proposition: { text: 'The convoy left Raqqa', language: 'en' },
      reason: 'clearer',
    };
    const before = await head();
    const stale = await nats.send('reword-claim', body, { ...bearer('reporter'), 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    expect(await head()).toBe(before);
    const current = await nats.send('reword-claim', body, { ...bearer('reporter'), 'If-Match': '"1"' });
    expect(current.status).toBe(201);
    expect(current.body.streamVersion).toBe(2);
  });

  it('answers 401 without a known key and 403 to a role that may not, as problem details', async () => {
    const before = await head();
    const body = { name: 'Raqqa Civil Council', kind: 'organization' };
    const none = await nats.send('register-source', body);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const unknown = await nats.send('register-source', body, { Authorization: 'Bearer not-a-known-key' });
    expect(unknown.status).toBe(401);
    const auditor = await nats.send('register-source', body, bearer('auditor'));
    expect(auditor.status).toBe(403);
    expect(auditor.body.code).toBe('FORBIDDEN');
    const http = await api.post('/sources', body, { as: 'auditor' });
    expect(auditor.body).toEqual(http.body);
    const { claimId } = await claimWithSource();
    const verdictBefore = await head();
    const verdict = await nats.send(
      'issue-verdict',
      { claimId, rating: 'mixed', rationale: 'no evidence yet', evidence: [] },
      bearer('reporter'),
    );
    expect(verdict.status).toBe(403);
    expect(await head()).toBe(verdictBefore);
    expect(Number(verdictBefore)).toBe(Number(before) + 2);
  });

  it('answers a payload that is too large as HTTP answers such a body, and one that is not JSON with 400', async () => {
    const before = await head();
    // HTTP's words are about its content-type header, which NATS has not: the code says what is wrong.
    const malformed = await nats.send('register-source', '{"name": ', bearer('admin'));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', instance: '/sources' });
    const huge = JSON.stringify({ name: 'x'.repeat(300_000), kind: 'group' });
    const tooLarge = await nats.send('register-source', huge, bearer('admin'));
    const tooLargeHttp = await api.request('POST', '/sources', { rawBody: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual(tooLargeHttp.body);
    expect(await head()).toBe(before);
  });

  it('answers an unknown command, or a payload without the ids of the path, with a problem', async () => {
    const unknown = await nats.send('merge-everything', {}, bearer('admin'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('UNKNOWN_COMMAND');
    const missingId = await nats.send('report-statement', { stance: 'affirms' }, bearer('admin'));
    expect(missingId.status).toBe(400);
    expect(missingId.body.errors).toEqual([expect.objectContaining({ field: 'claimId' })]);
  });

  it('publishes every appended event to the stream once, in log order, in the wire form', async () => {
    const last = await head();
    const stream = await readEventsStream(nats.connection, broker.NATS_EVENTS_STREAM, prefix, last);
    const log = await api.get(`/events?after=0&limit=1000`, 'auditor');
    expect(stream.map((m) => m.event)).toEqual(log.body.events);
    expect(stream.map((m) => m.position)).toEqual(
      log.body.events.map((e: { position: string }) => e.position),
    );
    expect(stream.map((m) => m.msgId)).toEqual(log.body.events.map((e: { eventId: string }) => e.eventId));
    expect(stream.map((m) => m.subject)).toEqual(
      log.body.events.map((e: { type: string }) => `${prefix}.events.${e.type}`),
    );
    // The gauge follows the publish acks, which may land just after a reader saw the message.
    const gauge = `newsroom_nats_events_published_position ${last}`;
    let metrics = '';
    for (let i = 0; i < 100 && !metrics.includes(gauge); i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = (await api.get('/metrics')).body as string;
    }
    expect(metrics).toContain(gauge);
  });
});
