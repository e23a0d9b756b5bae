import { FrameReader } from '../support/sse';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * Positions a feed is asked to resume from, at and past the signed 64-bit bound every store keeps
 * (runs on SQLite and, with E2E_EVENT_STORE=postgres, on PostgreSQL, whose bigint overflows past
 * it): the largest opens a feed (its feed-open names it), anything larger or not decimal is a
 * 400, never a 500.
 */
const MAX = '9223372036854775807';

describe('feeds resumed from extreme positions', () => {
  let api: TestApp;
  let claimId: string;
  beforeAll(async () => {
    api = await startTestApp();
    const res = await api.post('/claims', {
      storyId: 'story-positions',
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind: 'boolean',
    });
    claimId = res.body.id as string;
  });
  afterAll(() => api.close());

  const open = async (path: string, headers: Record<string, string> = {}) => {
    const controller = new AbortController();
    const res = await fetch(api.url + path, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${KEYS.admin}`, ...headers },
      signal: controller.signal,
    });
    return { res, controller };
  };

  const feeds = () => ['/events/stream', `/claims/${claimId}/stream`, '/stories/story-positions/stream'];

  it.each([
    ['Last-Event-ID', MAX],
    ['after', MAX],
  ])('opens a feed resumed after the largest position (%s) (a feed that waits)', async (how, value) => {
    for (const feed of feeds()) {
      const { res, controller } =
        how === 'after' ? await open(`${feed}?after=${value}`) : await open(feed, { 'last-event-id': value });
      expect([feed, res.status]).toEqual([feed, 200]);
      const frames = new FrameReader(res.body!);
      const got = await frames.until((f) => f.event !== undefined);
      const first = got.find((f) => f.event !== undefined);
      expect([feed, first?.event, first?.id]).toEqual([feed, 'feed-open', value]);
      controller.abort();
    }
  });

  it.each(['9223372036854775808', '99999999999999999999', '-1', '1e3', ' 12 3'])(
    'refuses %j as a resume position with a 400',
    async (value) => {
      for (const feed of feeds()) {
        const byHeader = await open(feed, { 'last-event-id': value });
        expect([feed, 'header', byHeader.res.status]).toEqual([feed, 'header', 400]);
        byHeader.controller.abort();
        const byQuery = await open(`${feed}?after=${encodeURIComponent(value)}`);
        expect([feed, 'query', byQuery.res.status]).toEqual([feed, 'query', 400]);
        byQuery.controller.abort();
      }
    },
  );
});
