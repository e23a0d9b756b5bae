import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { FASTIFY_ROUTE_SCHEMA_METADATA } from '@nestjs/platform-fastify/constants';
import fastJsonStringify from 'fast-json-stringify';
import { RAQQA_STORY_ID } from '@app/claims';
import { ClaimsReadController } from '../../apps/newsroom-api/src/claims/claims-read.controller';
import { ClaimsWriteController } from '../../apps/newsroom-api/src/claims/claims-write.controller';
import { EventsController } from '../../apps/newsroom-api/src/events/events.controller';
import { claimAnswer } from '../../apps/newsroom-api/src/http/responses/claim.responses';
import { serializerSchemaOf } from '../../apps/newsroom-api/src/http/responses/registry';
import {
  claimReadQuery,
  claimStatementsQuery,
  claimTimelineQuery,
  eventsQuery,
  listClaimsQuery,
  listSourcesQuery,
} from '../../apps/newsroom-api/src/http/schemas';
import { OpsController } from '../../apps/newsroom-api/src/ops/ops.controller';
import { SourcesController } from '../../apps/newsroom-api/src/sources/sources.controller';
import { startTestApp, type TestApp, projectionsCaughtUp } from '../support/test-app';

/**
 * fast-json-stringify drops every property its schema does not list. The compile-time checks
 * (responses/exact.ts) hold the schemas to the view types; this holds them to the values: every
 * read of the demo, as served (through the route's response schema), equals the handler's return
 * value as JSON.stringify would write it.
 */
describe('responses serialized through their schemas', () => {
  let api: TestApp;
  let claims: ClaimsReadController;
  let sources: SourcesController;
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));
  /** A reply that keeps what a handler sends or sets instead of answering. */
  const capture = () => {
    const sent: { body?: unknown; answer?: unknown; headers: Record<string, string> } = { headers: {} };
    const reply: any = {
      header: (name: string, value: string) => ((sent.headers[name] = value), reply),
      status: () => reply,
      type: () => reply,
      send: (body: unknown) => ((sent.body = body), reply),
      // A cut read serialises its answer through the route's serializer itself: keep the answer.
      serialize: (answer: unknown) => ((sent.answer = answer), JSON.stringify(answer)),
    };
    return { sent, reply };
  };

  beforeAll(async () => {
    // (Jest's per-project testTimeout does not reach hooks and tests here: bounds are given inline.)
    api = await startTestApp({ NEWSROOM_DEMO: 'on' });
    claims = api.app.get(ClaimsReadController);
    sources = api.app.get(SourcesController);
    // Each comparison reads twice (over HTTP, then from the handler): the read models must hold
    // still in between, so wait until the projector has caught up with the demo (PostgreSQL
    // projects it in the background).
    await projectionsCaughtUp(api);
  }, 60_000);
  afterAll(() => api.close());

  const served = async (path: string) => {
    const res = await api.get(path, 'admin');
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };

  it('claims: the list, each claim now and at cuts, its statements, timeline and ClaimReview', async () => {
    const page = await served(`/claims?storyId=${RAQQA_STORY_ID}&limit=200`);
    expect(page).toEqual(
      asJson(await claims.list(listClaimsQuery.parse({ storyId: RAQQA_STORY_ID, limit: '200' }))),
    );
    expect(page.items.length).toBeGreaterThan(5);
    const hot = fastJsonStringify(serializerSchemaOf(claimAnswer) as never);
    let reviews = 0;
    for (const { claimId, position } of page.items as { claimId: string; position: string }[]) {
      // The current state is the stored JSON, sent as it is: its schema must still describe all of it.
      const now = await served(`/claims/${claimId}`);
      expect(JSON.parse(hot(now))).toEqual(now);

      const cuts: Record<string, string>[] = [
        { asOfPosition: String(BigInt(position) - 1n) },
        { statedBefore: '2017-10-14T21:00:00Z' },
        { asOfPosition: position, statedBefore: '2017-10-15T09:00:00Z' },
      ];
      for (const cut of cuts) {
        const query = new URLSearchParams(cut).toString();
        const { sent, reply } = capture();
        await claims.get(claimId, claimReadQuery.parse(cut), { headers: {} } as never, reply);
        const body = await api.get(`/claims/${claimId}?${query}`, 'admin');
        // A cut before the claim was opened is a 404, as served and as handled.
        if (body.status === 404) continue;
        expect(body.body).toEqual(asJson(sent.answer));
      }

      expect(await served(`/claims/${claimId}/statements?limit=500`)).toEqual(
        asJson(await claims.statements(claimId, claimStatementsQuery.parse({ limit: '500' }))),
      );
      expect(await served(`/claims/${claimId}/timeline`)).toEqual(
        asJson(await claims.timeline(claimId, claimTimelineQuery.parse({}), capture().reply)),
      );
      expect(await served(`/claims/${claimId}/timeline?limit=2`)).toEqual(
        asJson(await claims.timeline(claimId, claimTimelineQuery.parse({ limit: '2' }), capture().reply)),
      );
      const review = await api.get(`/claims/${claimId}/claim-review`, 'admin');
      if (review.status === 404) continue;
      reviews += 1;
      expect(review.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      expect(review.body).toEqual(asJson(await claims.claimReview(claimId, capture().reply)));
    }
    // The demo has verdicts: at least one ClaimReview went through its schema.
    expect(reviews).toBeGreaterThan(0);
    // Some hundred reads on a shared machine: a generous bound, not a speed check.
  }, 120_000);

  it('sources: the list, each source and its statements', async () => {
    const page = await served('/sources?limit=200');
    expect(page).toEqual(asJson(await sources.list(listSourcesQuery.parse({ limit: '200' }))));
    expect(page.items.length).toBeGreaterThan(5);
    for (const { sourceId } of page.items as { sourceId: string }[]) {
      expect(await served(`/sources/${sourceId}`)).toEqual(asJson(await sources.get(sourceId)));
      expect(await served(`/sources/${sourceId}/statements`)).toEqual(
        asJson(await sources.statements(sourceId)),
      );
    }
  }, 60_000);

  it('the event log and health', async () => {
    const events = api.app.get(EventsController);
    const log = await served('/events?limit=1000');
    expect(log).toEqual(asJson(await events.list(eventsQuery.parse({ limit: '1000' }))));
    expect(log.events.length).toBeGreaterThan(20);
    expect(await served('/health')).toEqual(asJson(await api.app.get(OpsController).health()));
  });

  it('writes and problems: the write result, its replay, and problem details with their errors', async () => {
    const body = { name: 'Serialization check', kind: 'person' };
    const first = await api.post('/sources', body, { headers: { 'Idempotency-Key': 'serialize-1' } });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(['id', 'position', 'streamVersion']);
    expect(first.body).toMatchObject({ streamVersion: 1, position: expect.stringMatching(/^\d+$/) });
    const replay = await api.post('/sources', body, { headers: { 'Idempotency-Key': 'serialize-1' } });
    expect([replay.status, replay.body]).toEqual([200, first.body]);

    const invalid = await api.post('/sources', { name: '', kind: 'planet', extra: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status: 400,
      detail: expect.any(String),
      code: expect.any(String),
      instance: '/sources',
    });
    expect(invalid.body.errors.length).toBeGreaterThan(0);
    for (const error of invalid.body.errors) {
      expect(Object.keys(error).sort()).toEqual(['field', 'message']);
    }
  });

  it('every JSON route has a response schema for its success and for its problems', () => {
    const controllers = [ClaimsReadController, ClaimsWriteController, SourcesController, EventsController];
    let routes = 0;
    for (const controller of [...controllers, OpsController]) {
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as unknown as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined)
          continue;
        routes += 1;
        const { response } = Reflect.getMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, handler) ?? {};
        expect([name, Object.keys(response ?? {})]).toEqual([name, expect.arrayContaining(['4xx', '5xx'])]);
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        if (name === 'metricsText') continue; // Prometheus text: a string, sent as it is.
        const success = method === RequestMethod.POST ? ['200', '201'] : ['200'];
        expect([name, Object.keys(response)]).toEqual([name, expect.arrayContaining(success)]);
      }
    }
    expect(routes).toBeGreaterThanOrEqual(20); // routes added later are checked by the loop too
  });
});
