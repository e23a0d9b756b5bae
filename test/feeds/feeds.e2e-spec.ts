import { randomUUID } from 'node:crypto';
import { statementBody } from '../support/bodies';
import { eventually, follow, FrameReader, type RawFrame } from '../support/sse';
import { KEYS, startTestApp, type TestApp, type Who } from '../support/test-app';

// Generous for a loaded machine (and the PostgreSQL tier): starting an app is not a speed check.
jest.setTimeout(60_000);

/** The SSE feeds over HTTP: the message format, the filters, and the JSON routes' authorisation. */
describe('SSE feeds', () => {
  let api: TestApp;
  let sourceId: string;
  const claims: Record<'a1' | 'b1', string> = { a1: '', b1: '' };
  const storyA = `story-a-${randomUUID()}`;
  const storyB = `story-b-${randomUUID()}`;

  const openClaim = async (storyId: string) => {
    const res = await api.post('/claims', {
      storyId,
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind: 'boolean',
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const report = async (claimId: string) => {
    const res = await api.post(`/claims/${claimId}/statements`, statementBody(sourceId, 'affirms', true));
    expect(res.status).toBe(201);
    return BigInt(res.body.position as string);
  };
  /** A raw fetch of a feed: the response, and a reader of its messages. */
  const open = async (path: string, as: Who = 'admin', headers: Record<string, string> = {}) => {
    if (as !== 'nobody') headers.authorization = `Bearer ${KEYS[as]}`;
    const res = await fetch(api.url + path, { headers: { accept: 'text/event-stream', ...headers } });
    return { res, frames: res.body && res.status === 200 ? new FrameReader(res.body) : undefined };
  };
  /** Event messages of a feed up to and including the one at `last`. */
  const eventsUpTo = async (path: string, last: bigint) => {
    const { frames } = await open(path);
    const read = await frames!.until(
      (f) => f.id !== undefined && BigInt(f.id) >= last && f.event !== 'feed-open',
    );
    await frames!.cancel();
    return read.filter((f) => f.data !== undefined && f.event !== 'feed-open');
  };
  const summary = (frames: RawFrame[]) =>
    frames.map((f) => ({ position: f.id, type: f.event, streamId: JSON.parse(f.data!).streamId }));

  beforeAll(async () => {
    api = await startTestApp({ SSE_HEARTBEAT_MS: '50' });
    const source = await api.post('/sources', { name: 'Raqqa Civil Council', kind: 'organization' });
    sourceId = source.body.id;
    claims.a1 = await openClaim(storyA);
    claims.b1 = await openClaim(storyB);
    await report(claims.a1);
    await report(claims.b1);
  });
  afterAll(() => api.close());

  it('sends each event with its position as id, its type as event and its GET /events form as data', async () => {
    const log = (await api.get('/events?after=0&limit=100')).body;
    const head = BigInt(log.head);
    const { res, frames } = await open('/events/stream?after=0');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-cache');
    const read = await frames!.until((f) => f.id === log.head && f.event !== 'feed-open');
    await frames!.cancel();
    expect(read[0]).toEqual({ retry: '2000' });
    expect(read[1]).toEqual({ id: '0', event: 'feed-open', data: JSON.stringify({ after: '0' }) });
    const events = read.slice(2);
    expect(events.map((f) => f.id)).toEqual(log.events.map((e: any) => e.position));
    expect(events.map((f) => f.event)).toEqual(log.events.map((e: any) => e.type));
    expect(events.map((f) => JSON.parse(f.data!))).toEqual(log.events);
    expect(BigInt(events[events.length - 1]!.id!)).toBe(head);
  });

  it('starts at the head without a position, says so in feed-open, and sends heartbeats while idle', async () => {
    const head = (await api.get('/health')).body.head as string;
    const { frames } = await open(`/claims/${claims.a1}/stream`);
    expect(await frames!.next()).toEqual({ retry: '2000' });
    expect(await frames!.next()).toEqual({
      id: head,
      event: 'feed-open',
      data: JSON.stringify({ after: head }),
    });
    expect(await frames!.next()).toEqual({ comment: 'heartbeat' });
    const position = await report(claims.a1);
    const next = await frames!.until((f) => f.event === 'StatementReported');
    await frames!.cancel();
    expect(next.every((f) => f.comment === 'heartbeat' || f.id === String(position))).toBe(true);
  });

  it('filters by stream type, claim and story; a claim feed is one claim, a story feed its claims', async () => {
    const head = BigInt((await api.get('/health')).body.head);
    const sources = summary(await eventsUpTo('/events/stream?after=0&streamType=source', 1n));
    expect(sources).toEqual([{ position: '1', type: 'SourceRegistered', streamId: `source-${sourceId}` }]);

    const claimA = `claim-${claims.a1}`;
    const byClaim = summary(await eventsUpTo(`/events/stream?after=0&claimId=${claims.a1}`, head));
    expect(new Set(byClaim.map((e) => e.streamId))).toEqual(new Set([claimA]));
    expect(byClaim.map((e) => e.type).slice(0, 2)).toEqual(['ClaimOpened', 'StatementReported']);
    expect(summary(await eventsUpTo(`/claims/${claims.a1}/stream?after=0`, head))).toEqual(byClaim);

    // From 0 the story's ClaimOpened is in the feed's own batch; from after it, the read model says.
    const byStory = summary(await eventsUpTo(`/stories/${storyA}/stream?after=0`, head));
    expect(byStory).toEqual(byClaim);
    const opened = BigInt(byStory[0]!.position!);
    const later = summary(await eventsUpTo(`/stories/${storyA}/stream?after=${opened}`, head));
    expect(later).toEqual(byStory.slice(1));
    expect(
      summary(await eventsUpTo(`/events/stream?after=0&storyId=${storyA}&streamType=claim`, head)),
    ).toEqual(byStory);
  });

  it('follows a story live: a claim opened after the feed started, and none of another story', async () => {
    const story = follow(`${api.url}/stories/${storyA}/stream`, KEYS.reporter, [
      'ClaimOpened',
      'StatementReported',
    ]);
    try {
      await eventually('the feed is open', () => story.source.readyState === story.source.OPEN);
      await report(claims.b1);
      const a2 = await openClaim(storyA);
      await report(claims.b1);
      const last = await report(a2);
      await eventually('the story events arrived', () => story.received.some((r) => r.id === String(last)));
      expect(story.received.map((r) => [r.type, r.data.streamId])).toEqual([
        ['ClaimOpened', `claim-${a2}`],
        ['StatementReported', `claim-${a2}`],
      ]);
    } finally {
      story.source.close();
    }
  });

  it.each([
    ['/events/stream', 'nobody', 401],
    ['/events/stream', 'reporter', 403],
    ['/events/stream', 'editor', 403],
    ['/claims/{a1}/stream', 'nobody', 401],
    ['/stories/{story}/stream', 'nobody', 401],
  ] as const)('answers %s as %s with %i problem details, as the JSON routes', async (route, who, status) => {
    const path = route.replace('{a1}', claims.a1).replace('{story}', storyA);
    const { res } = await open(path, who);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status });
    const json = { events: '/events', claims: `/claims/${claims.a1}`, stories: `/claims?storyId=${storyA}` };
    expect((await api.get(json[path.split('/')[1] as keyof typeof json], who)).status).toBe(status);
  });

  it.each([
    ['/events/stream', 'auditor'],
    ['/claims/{a1}/stream', 'reporter'],
    ['/stories/{story}/stream', 'editor'],
  ] as const)('opens %s for %s', async (route, who) => {
    const { res, frames } = await open(route.replace('{a1}', claims.a1).replace('{story}', storyA), who);
    expect(res.status).toBe(200);
    expect((await frames!.next())?.retry).toBe('2000');
    await frames!.cancel();
  });

  it('an EventSource refused with 401 reports it and does not reconnect', async () => {
    const refused = follow(`${api.url}/events/stream`, 'not-a-key-at-all', ['SourceRegistered']);
    await eventually('the error', () => refused.errors.length > 0);
    expect(refused.errors[0]?.code).toBe(401);
    expect(refused.source.readyState).toBe(refused.source.CLOSED);
    expect(refused.connections).toHaveLength(1);
  });

  it('refuses a bad Last-Event-ID, an unknown filter and an unknown claim', async () => {
    const badId = await open('/events/stream', 'admin', { 'last-event-id': 'abc' });
    expect(badId.res.status).toBe(400);
    expect(await badId.res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'Last-Event-ID' }],
    });
    const unknown = await open('/events/stream?kind=claim');
    expect(unknown.res.status).toBe(400);
    const badType = await open('/events/stream?streamType=Claim-1');
    expect(badType.res.status).toBe(400);
    const missing = await open(`/claims/${randomUUID()}/stream`);
    expect(missing.res.status).toBe(404);
    expect(await missing.res.json()).toMatchObject({ code: 'CLAIM_NOT_FOUND' });
  });
});

describe('SSE feeds per process', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ SSE_MAX_CLIENTS: '1' });
  });
  afterAll(() => api.close());

  it('answers 503 past SSE_MAX_CLIENTS open feeds, and HEAD with the headers only', async () => {
    const headers = { authorization: `Bearer ${KEYS.admin}` };
    const first = await fetch(`${api.url}/events/stream`, { headers });
    expect(first.status).toBe(200);
    const busy = await fetch(`${api.url}/events/stream`, { headers });
    expect(busy.status).toBe(503);
    expect(await busy.json()).toMatchObject({ code: 'FEEDS_BUSY' });
    const head = await fetch(`${api.url}/events/stream`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await first.body!.cancel();
  });
});
