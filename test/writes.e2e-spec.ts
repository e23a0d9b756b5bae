import { randomUUID } from 'node:crypto';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import { statementBody } from './support/bodies';
import { startTestApp, type TestApp } from './support/test-app';

/** Commands over HTTP against a SQLite file: the write contract of API.md. */
describe('writes over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const head = async (): Promise<string> => (await api.get('/health')).body.head;

  async function organization(name = 'Syrian Democratic Forces') {
    const res = await api.post('/sources', { name, kind: 'organization' }, { as: 'reporter' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function spokesman(affiliationId: string, name: string) {
    const res = await api.post('/sources', { name, kind: 'person', role: 'spokesman', affiliationId });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function claim(valueKind = 'boolean', extra: object = {}) {
    const res = await api.post('/claims', {
      storyId: 'story-e2e',
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const statement = statementBody;

  describe('access', () => {
    it('answers 401 problem details without a key, and with an unknown key', async () => {
      const none = await api.request('GET', '/claims', { as: 'nobody' });
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toContain('application/problem+json');
      expect(none.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const wrong = await api.request('GET', '/claims', {
        as: 'nobody',
        headers: { authorization: 'Bearer nope-nope' },
      });
      expect(wrong.status).toBe(401);
    });

    it('answers 403 to a role that may not, and appends nothing', async () => {
      const before = await head();
      const auditorWrite = await api.post('/sources', { name: 'X', kind: 'group' }, { as: 'auditor' });
      expect(auditorWrite.status).toBe(403);
      expect(auditorWrite.body.code).toBe('FORBIDDEN');
      const reporterEvents = await api.get('/events', 'reporter');
      expect(reporterEvents.status).toBe(403);
      expect(await head()).toBe(before);
    });

    it('lets only editors and admins issue verdicts', async () => {
      const org = await organization('SOHR');
      const c = await claim();
      const s = await api.post(`/claims/${c}/statements`, statement(org, 'affirms', true));
      const body = { rating: 'unverifiable', rationale: 'one voice only', evidence: [s.body.id] };
      expect((await api.post(`/claims/${c}/verdicts`, body, { as: 'reporter' })).status).toBe(403);
      const issued = await api.post(`/claims/${c}/verdicts`, body, { as: 'editor' });
      expect(issued.status).toBe(201);
      const read = await api.get(`/claims/${c}`);
      expect(read.body.verdict).toMatchObject({ rating: 'unverifiable', evidence: [s.body.id] });
      expect(read.body.status).toBe('single-source');
    });
  });

  describe('the statement path', () => {
    it('records statements and projects the claim: one voice for two spokesmen, later word wins', async () => {
      const sdf = await organization();
      const silo = await spokesman(sdf, 'Talal Silo');
      const bali = await spokesman(sdf, 'Mustafa Bali');
      const council = await organization('Raqqa Civil Council');
      const c = await claim();

      const saturday = await api.post(
        `/claims/${c}/statements`,
        statement(silo, 'denies', undefined, '2017-10-14T09:00:00Z'),
      );
      expect(saturday.status).toBe(201);
      expect(saturday.body).toEqual({
        id: expect.any(String),
        streamVersion: 2,
        position: expect.stringMatching(/^\d+$/),
      });
      expect(saturday.headers.get('etag')).toBe('"2"');
      await api.post(`/claims/${c}/statements`, statement(council, 'affirms', true));
      expect((await api.get(`/claims/${c}`)).body.status).toBe('contested');

      // Bali speaks on Sunday: the SDF's word is now "yes", so the voices agree.
      await api.post(`/claims/${c}/statements`, statement(bali, 'affirms', true, '2017-10-15T09:00:00Z'));
      const now = await api.get(`/claims/${c}`);
      expect(now.body.status).toBe('corroborated');
      expect(now.body.voices).toHaveLength(2);
      expect(now.body.conflicts).toEqual([]);

      const timeline = await api.get(`/claims/${c}/timeline`);
      expect(timeline.body.entries.map((e: any) => e.statusAfter)).toEqual([
        'unsourced',
        'single-source',
        'contested',
        'corroborated',
      ]);
    });

    it('applies corrections in place and keeps the original; retractions leave history intact', async () => {
      const src = await organization('Coalition');
      const c = await claim('quantity', { unit: 'fighters' });
      const s = await api.post(`/claims/${c}/statements`, statement(src, 'affirms', { exact: 257 }));
      const fixed = await api.post(`/claims/${c}/statements/${s.body.id}/corrections`, {
        changes: { value: { exact: 275 } },
        reason: 'typo in transcription',
      });
      expect(fixed.status).toBe(201);
      const history = (await api.get(`/claims/${c}/statements`)).body;
      const st = history.items.find((x: any) => x.statementId === s.body.id);
      expect(st.value).toEqual({ exact: 275 });
      expect(st.original.value).toEqual({ exact: 257 });

      const retracted = await api.post(`/claims/${c}/statements/${s.body.id}/retraction`, {
        reason: 'source-withdrew',
      });
      expect(retracted.status).toBe(201);
      expect((await api.get(`/claims/${c}`)).body.status).toBe('retracted');
      const again = await api.post(`/claims/${c}/statements/${s.body.id}/corrections`, {
        changes: { value: { exact: 1 } },
        reason: 'x',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('STATEMENT_RETRACTED');
    });

    it('lists a source and its statements', async () => {
      const src = await organization('Tribal elders');
      const c = await claim();
      await api.post(`/claims/${c}/statements`, statement(src, 'affirms', true));
      const source = await api.get(`/sources/${src}`);
      expect(source.body).toMatchObject({ sourceId: src, name: 'Tribal elders', voice: src });
      const statements = await api.get(`/sources/${src}/statements`);
      expect(statements.body.items).toHaveLength(1);
      expect(statements.body.items[0].claimId).toBe(c);
      const filtered = await api.get(`/claims?sourceId=${src}`);
      expect(filtered.body.items.map((x: any) => x.claimId)).toEqual([c]);
    });
  });

  describe('bad input changes nothing', () => {
    let source: string;
    let boolClaim: string;
    beforeAll(async () => {
      source = await organization('Local sources');
      boolClaim = await claim();
    });

    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      [
        'malformed JSON',
        () => api.request('POST', `/claims/${boolClaim}/statements`, { rawBody: '{"sourceId": ' }),
        400,
        '',
      ],
      [
        'a value of the wrong kind',
        () => api.post(`/claims/${boolClaim}/statements`, statement(source, 'affirms', { exact: 3 })),
        422,
        'VALUE_KIND_MISMATCH',
      ],
      [
        'an unknown source',
        () => api.post(`/claims/${boolClaim}/statements`, statement(randomUUID(), 'affirms', true)),
        422,
        'SOURCE_NOT_FOUND',
      ],
      [
        'an unknown field',
        () =>
          api.post(`/claims/${boolClaim}/statements`, {
            ...statement(source, 'affirms', true),
            speaker: 'x',
          }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'an oversize quote',
        () =>
          api.post(`/claims/${boolClaim}/statements`, {
            ...statement(source, 'affirms', true),
            quote: { text: 'ا'.repeat(10_001), language: 'ar' },
          }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'an unknown claim in the path',
        () => api.post(`/claims/${randomUUID()}/statements`, statement(source, 'affirms', true)),
        404,
        'CLAIM_NOT_FOUND',
      ],
      [
        'a statement stated after it reached us',
        () =>
          api.post(
            `/claims/${boolClaim}/statements`,
            statement(source, 'affirms', true, '2071-10-14T09:00:00Z'),
          ),
        422,
        'TIME_IN_FUTURE',
      ],
      [
        'an unknown source in the path',
        () => api.post(`/sources/${randomUUID()}/amendments`, { changes: { name: 'x' }, reason: 'r' }),
        404,
        'SOURCE_NOT_FOUND',
      ],
      [
        'an unknown stance',
        () => api.post(`/claims/${boolClaim}/statements`, statement(source, 'insists', true)),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'a value on a decline',
        () => api.post(`/claims/${boolClaim}/statements`, statement(source, 'declined', true)),
        422,
        'VALUE_NOT_ALLOWED',
      ],
      [
        'a non-UTC stated time',
        () =>
          api.post(
            `/claims/${boolClaim}/statements`,
            statement(source, 'affirms', true, '2017-10-14T09:00:00+03:00'),
          ),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'evidence from another claim',
        () =>
          api.post(`/claims/${boolClaim}/verdicts`, {
            rating: 'false',
            rationale: 'x',
            evidence: [randomUUID()],
          }),
        422,
        'EVIDENCE_NOT_IN_CLAIM',
      ],
      [
        'an unknown affiliation',
        () => api.post('/sources', { name: 'A', kind: 'person', affiliationId: randomUUID() }),
        422,
        'AFFILIATION_NOT_FOUND',
      ],
      [
        'a body that is not an object',
        () => api.request('POST', '/sources', { rawBody: '[1,2]' }),
        400,
        'VALIDATION_FAILED',
      ],
    ];

    it.each(cases)('%s: answers problem details and appends nothing', async (_name, send, status, code) => {
      const before = await head();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
      });
      if (code) expect(res.body.code).toBe(code);
      expect(await head()).toBe(before);
    });

    it('names every field at fault in a validation problem', async () => {
      const res = await api.post('/claims', {
        storyId: '',
        proposition: { text: 'x' },
        valueKind: 'colour',
        extra: 1,
      });
      expect(res.status).toBe(400);
      const fields = res.body.errors.map((e: any) => e.field).sort();
      expect(fields).toEqual(expect.arrayContaining(['storyId', 'proposition.language', 'valueKind']));
      expect(res.body.errors.some((e: any) => /unknown field/.test(e.message))).toBe(true);
    });

    it('refuses a body over the size limit with 413', async () => {
      const before = await head();
      const res = await api.request('POST', '/sources', {
        rawBody: JSON.stringify({ name: 'x'.repeat(300_000), kind: 'group' }),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await head()).toBe(before);
    });
  });

  describe('concurrency and retries', () => {
    it('answers 412 to a stale If-Match and appends nothing', async () => {
      const src = await organization('SOHR 2');
      const c = await claim();
      const ok = await api.post(`/claims/${c}/statements`, statement(src, 'affirms', true), {
        headers: { 'if-match': '"1"' },
      });
      expect(ok.status).toBe(201);
      const before = await head();
      const stale = await api.post(`/claims/${c}/statements`, statement(src, 'denies'), {
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('PRECONDITION_FAILED');
      expect(await head()).toBe(before);
    });

    it('replays an idempotent request with 200 and the first answer, appending nothing', async () => {
      const body = { name: 'Omar Alloush', kind: 'person' };
      const headers = { 'idempotency-key': `k-${randomUUID()}` };
      const first = await api.post('/sources', body, { headers });
      expect(first.status).toBe(201);
      const before = await head();
      const again = await api.post('/sources', body, { headers });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(await head()).toBe(before);

      const other = await api.post('/sources', { ...body, name: 'Someone else' }, { headers });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      // Keys are scoped to the caller's API key: another caller may use the same key.
      const otherCaller = await api.post('/sources', body, { headers, as: 'reporter' });
      expect(otherCaller.status).toBe(201);
    });

    it('replays a client error too', async () => {
      const headers = { 'idempotency-key': `k-${randomUUID()}` };
      const body = statement(randomUUID(), 'affirms', true);
      const c = await claim();
      const first = await api.post(`/claims/${c}/statements`, body, { headers });
      expect(first.status).toBe(422);
      const again = await api.post(`/claims/${c}/statements`, body, { headers });
      expect(again.status).toBe(422);
      expect(again.body).toEqual(first.body);
    });

    it('keeps concurrent reports on one claim all recorded, versions contiguous', async () => {
      const src = await organization('Concurrent');
      const c = await claim('text');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.post(`/claims/${c}/statements`, statement(src, 'affirms', `v${i}`)),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      const versions = results.map((r) => r.body.streamVersion).sort((a, b) => a - b);
      expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe('when the read models cannot keep up', () => {
    it('still answers 201 for a committed write, says reads may lag, and catches up later', async () => {
      const runner = api.app.get<ProjectionRunner>(PROJECTION_RUNNER);
      const spy = jest.spyOn(runner, 'waitFor').mockRejectedValueOnce(new Error('disk full'));
      const res = await api.post('/sources', { name: 'Lagging', kind: 'group' });
      spy.mockRestore();
      expect(res.status).toBe(201);
      expect(res.headers.get('x-read-models-lagging')).toBe('true');
      // Waits for the write's own position: with SQLite's writer thread (decision 0025), catchUp
      // on this process answers before the writer has projected, which made this a race.
      await runner.waitFor(BigInt(res.body.position));
      expect((await api.get(`/sources/${res.body.id}`)).status).toBe(200);
    });
  });

  describe('the auditor log', () => {
    it('serves the raw log with hashes and positions as strings', async () => {
      const page = await api.get('/events?after=0&limit=2', 'auditor');
      expect(page.status).toBe(200);
      expect(page.body.events).toHaveLength(2);
      const [first] = page.body.events;
      expect(first.position).toBe('1');
      expect(first.metadata).toMatchObject({
        recordedAt: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(first.metadata.principal).toBe('reporter-test');
      expect(JSON.stringify(page.body)).not.toContain('test-reporter-key');
      expect(page.body.next).toBe('2');
    });

    it('records the caller’s correlation id in the events a request appends', async () => {
      const res = await api.post(
        '/sources',
        { name: 'Correlated', kind: 'group' },
        { headers: { 'x-correlation-id': 'desk-42' } },
      );
      expect(res.status).toBe(201);
      const page = await api.get(`/events?after=${BigInt(res.body.position) - 1n}&limit=1`, 'auditor');
      expect(page.body.events[0].metadata.correlationId).toBe('desk-42');
    });
  });
});
