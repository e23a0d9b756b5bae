import fastJsonStringify from 'fast-json-stringify';
import { protectedSourcePlaceholder } from '@app/claims';
import { ClaimsReadController } from '../../apps/newsroom-api/src/claims/claims-read.controller';
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
import { SourcesController } from '../../apps/newsroom-api/src/sources/sources.controller';
import { statementBody } from '../support/bodies';
import { startTestApp, type TestApp, type Who, projectionsCaughtUp } from '../support/test-app';

/**
 * serialization.e2e-spec.ts holds the response schemas to the demo, which uses none of the fields
 * added since (issue 9, 10): this holds them to a story that uses every one of them — a relay on
 * a source and on a statement, affiliations, a varying figure with `asOf`, open and approximate
 * quantities, a zoned date, a translated quote, a correction, a retraction with `faultOf`, a
 * verdict, a merge, protected sources and a shredded one. Read as a reporter (no identities are
 * revealed, so the served answer is the handler's), every read equals JSON.stringify of the
 * handler's result.
 */
const STORY = 'story-every-feature';

describe('responses of every new feature serialized through their schemas', () => {
  let api: TestApp;
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));
  const capture = () => {
    const reply: any = { header: () => reply, status: () => reply, type: () => reply, send: () => reply };
    const sent: { body?: unknown; answer?: unknown } = {};
    reply.send = (body: unknown) => ((sent.body = body), reply);
    // A cut read serialises its answer through the route's serializer itself: keep the answer.
    reply.serialize = (answer: unknown) => ((sent.answer = answer), JSON.stringify(answer));
    return { sent, reply };
  };
  const created = async (path: string, body: object, as: Who = 'admin'): Promise<string> => {
    const res = await api.request('POST', path, { body, as });
    expect([path, res.status, res.body]).toEqual([path, 201, expect.anything()]);
    return res.body.id as string;
  };
  const claims: string[] = [];
  const sources: string[] = [];
  const protectedIds = { insider: '', shredded: '' };

  beforeAll(async () => {
    api = await startTestApp();
    const source = async (body: object) => {
      const id = await created('/sources', body);
      sources.push(id);
      return id;
    };
    const ministry = await source({ name: 'Ministry of Interior', kind: 'organization' });
    const official = await source({ name: 'Official', kind: 'anonymous', affiliationId: ministry });
    const insider = await source({ name: 'Abu Layla', kind: 'person', role: 'fighter', protected: true });
    const shredded = await source({
      name: 'Umm Ahmad',
      nameLatin: 'Umm Ahmad',
      kind: 'person',
      protected: true,
    });
    const wire = await source({ name: 'AFP', kind: 'outlet' });
    Object.assign(protectedIds, { insider, shredded });

    const open = async (body: object) => {
      const id = await created('/claims', { storyId: STORY, ...body });
      claims.push(id);
      return id;
    };
    const proposition = { text: 'Civilians left with the convoy', language: 'en' };
    const count = await open({ proposition, valueKind: 'quantity', unit: 'people', varies: true });
    const report = (claimId: string, body: object) => created(`/claims/${claimId}/statements`, body);
    const at = (iso: string) => ({ at: iso, precision: 'hour' });

    const first = await report(count, {
      ...statementBody(ministry, 'affirms', { min: 100 }, '2017-10-14T09:00:00Z'),
      asOf: at('2017-10-13T09:00:00Z'),
    });
    await report(count, {
      ...statementBody(official, 'affirms', { approx: 150 }, '2017-10-14T10:00:00Z'),
      attribution: 'anonymous',
    });
    const relayed = await report(count, {
      ...statementBody(wire, 'affirms', { min: 100 }, '2017-10-14T11:00:00Z'),
      basis: { statementId: first },
    });
    await report(count, {
      ...statementBody(wire, 'affirms', { max: 400 }, '2017-10-14T12:00:00Z'),
      basis: { sourceId: insider },
    });
    const insiderSaid = await report(count, {
      ...statementBody(insider, 'denies', { exact: 90 }, '2017-10-15T09:00:00Z'),
      quote: { text: 'Ninety', language: 'en', translatedFrom: 'ar' },
      attribution: 'background',
    });
    await created(`/claims/${count}/statements/${insiderSaid}/corrections`, {
      changes: { value: { min: 80, max: 95 }, asOf: at('2017-10-14T20:00:00Z') },
      reason: 'the range he gave',
    });
    await created(`/claims/${count}/statements/${relayed}/retraction`, {
      reason: 'misattributed',
      faultOf: 'channel',
    });
    await created(
      `/claims/${count}/verdicts`,
      { rating: 'mixed', rationale: 'figures differ by moment', evidence: [first, insiderSaid] },
      'editor',
    );

    const twin = await open({ proposition, valueKind: 'quantity', unit: 'people', varies: true });
    await report(twin, statementBody(shredded, 'affirms', { exact: 120 }, '2017-10-14T13:00:00Z'));
    await report(twin, {
      ...statementBody(wire, 'affirms', { exact: 120 }, '2017-10-14T14:00:00Z'),
      basis: { sourceId: shredded },
    });
    await created(`/claims/${twin}/merger`, { intoClaimId: count, reason: 'one proposition' });
    await created(`/sources/${shredded}/shredding`, { reason: 'she asked us to forget her' });

    const when = await open({
      proposition: { text: 'The convoy left on', language: 'en' },
      valueKind: 'date',
    });
    await report(when, {
      ...statementBody(insider, 'affirms', { date: '2017-10-14', precision: 'day', timeZone: '+03:00' }),
      attribution: 'background',
    });
    await report(
      when,
      statementBody(ministry, 'affirms', {
        date: '2017-10-14T22:30',
        precision: 'minute',
        timeZone: 'Asia/Damascus',
      }),
    );

    await projectionsCaughtUp(api);
  }, 120_000);
  afterAll(() => api.close());

  const served = async (path: string) => {
    const res = await api.get(path, 'reporter');
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };

  it('claims: the list, each claim now and at cuts, its statements, timeline and ClaimReview', async () => {
    const read = api.app.get(ClaimsReadController);
    const page = await served(`/claims?storyId=${STORY}&limit=200`);
    expect(page).toEqual(asJson(await read.list(listClaimsQuery.parse({ storyId: STORY, limit: '200' }))));
    expect(page.items).toHaveLength(claims.length);
    const hot = fastJsonStringify(serializerSchemaOf(claimAnswer) as never);
    for (const claimId of claims) {
      const now = await served(`/claims/${claimId}`);
      expect(JSON.parse(hot(now))).toEqual(now);
      const { sent, reply } = capture();
      await read.get(claimId, claimReadQuery.parse({}), { headers: {} } as never, reply);
      // The current read answers its stored bytes: the schema is the check above, the bytes here.
      expect(now).toEqual(JSON.parse((sent.body as Buffer).toString('utf8')));
      const cuts: Record<string, string>[] = [
        { statedBefore: '2017-10-14T12:30:00Z' },
        { asOfPosition: now.position as string },
      ];
      for (const cut of cuts) {
        const { sent: cutSent, reply: cutReply } = capture();
        await read.get(claimId, claimReadQuery.parse(cut), { headers: {} } as never, cutReply);
        expect([
          claimId,
          cut,
          await served(`/claims/${claimId}?${new URLSearchParams(cut).toString()}`),
        ]).toEqual([claimId, cut, asJson(cutSent.answer)]);
      }
      expect(await served(`/claims/${claimId}/statements?limit=500`)).toEqual(
        asJson(await read.statements(claimId, claimStatementsQuery.parse({ limit: '500' }))),
      );
      expect(await served(`/claims/${claimId}/timeline`)).toEqual(
        asJson(await read.timeline(claimId, claimTimelineQuery.parse({}), capture().reply)),
      );
      const review = await api.get(`/claims/${claimId}/claim-review`, 'reporter');
      if (review.status === 404) continue;
      expect(review.body).toEqual(asJson(await read.claimReview(claimId, capture().reply)));
    }
  }, 120_000);

  it('sources: the list, each source and its statements', async () => {
    const read = api.app.get(SourcesController);
    expect(await served('/sources?limit=200')).toEqual(
      asJson(await read.list(listSourcesQuery.parse({ limit: '200' }))),
    );
    for (const sourceId of sources) {
      expect(await served(`/sources/${sourceId}`)).toEqual(asJson(await read.get(sourceId)));
      expect(await served(`/sources/${sourceId}/statements`)).toEqual(
        asJson(await read.statements(sourceId)),
      );
    }
  });

  it('names a protected source to no reader without sources:identity, and to editors wherever it is named', async () => {
    const paths = ['/sources?limit=200', `/claims?storyId=${STORY}&limit=200`];
    for (const c of claims) {
      const reads = ['', '/statements', '/timeline', '/claim-review', '?statedBefore=2017-10-14T12:30:00Z'];
      paths.push(...reads.map((read) => `/claims/${c}${read}`));
    }
    for (const s of sources) paths.push(`/sources/${s}`, `/sources/${s}/statements`);
    const insiderPlaceholder = protectedSourcePlaceholder(protectedIds.insider);
    for (const path of paths) {
      const asReporter = JSON.stringify((await api.get(path, 'reporter')).body);
      expect([path, /Abu Layla|Umm Ahmad/.test(asReporter)]).toEqual([path, false]);
      const asEditor = JSON.stringify((await api.get(path, 'editor')).body);
      // The shredded source stays a placeholder for everyone; the other is revealed wherever named.
      expect([path, asEditor.includes(insiderPlaceholder), asEditor.includes('Umm Ahmad')]).toEqual([
        path,
        false,
        false,
      ]);
    }
    const log = JSON.stringify((await api.get('/events?limit=1000', 'admin')).body);
    expect(/Abu Layla|Umm Ahmad/.test(log)).toBe(false);
  });

  it('the event log', async () => {
    const log = await api.get('/events?limit=1000', 'admin');
    expect(log.body).toEqual(
      asJson(await api.app.get(EventsController).list(eventsQuery.parse({ limit: '1000' }))),
    );
  });
});
