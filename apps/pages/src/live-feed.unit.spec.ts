import { followClaim, followStory, readSse, type SseMessage } from './live-feed';

const streamOf = (...chunks: string[]): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
};

describe('reading the SSE feed', () => {
  it('parses messages split across chunks, skips heartbeats, and keeps ids for resuming', async () => {
    const messages: SseMessage[] = [];
    await readSse(
      streamOf(
        ': heartbeat\n\n',
        'id: 41\nevent: StatementReported\nda',
        'ta: {"position":"41"}\n\n',
        'id: 42\r\nevent: VerdictIssued\r\ndata: {"a":1}\r\ndata: {"b":2}\r\n\r\n',
        ': heartbeat\n\n',
      ),
      (message) => messages.push(message),
    );
    expect(messages).toEqual([
      { id: '41', event: 'StatementReported', data: '{"position":"41"}' },
      { id: '42', event: 'VerdictIssued', data: '{"a":1}\n{"b":2}' },
    ]);
  });
});

describe('following a story', () => {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const answers: (() => Response)[] = [];
  const realFetch = globalThis.fetch;

  beforeEach(() => {
    calls.length = 0;
    answers.length = 0;
    const store = new Map<string, string>([['newsroom.apiKey', 'k1']]);
    (globalThis as any).sessionStorage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    };
    globalThis.fetch = ((url: string, init: RequestInit) => {
      calls.push({ url, headers: init.headers as Record<string, string> });
      const answer = answers.shift();
      return Promise.resolve(answer ? answer() : new Response(null, { status: 404 }));
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    delete (globalThis as any).sessionStorage;
  });

  it('reloads once for a burst of events, then resumes from the last id it saw', async () => {
    answers.push(
      () =>
        new Response(
          streamOf(
            'id: 40\nevent: feed-open\ndata: {"after":"40"}\n\n',
            'id: 41\nevent: StatementReported\ndata: {}\n\n',
            'id: 42\nevent: VerdictIssued\ndata: {}\n\n',
          ),
          {
            status: 200,
            headers: { 'content-type': 'text/event-stream' },
          },
        ),
    );
    const states: string[] = [];
    let changes = 0;
    // The second connection is answered 404 (no such route): the feed stops there.
    const unavailable = new Promise<void>((done) => {
      followStory('raqqa-2017-10-15', {
        after: '40',
        onChange: () => changes++,
        onState: (state) => {
          states.push(state);
          if (state === 'unavailable') done();
        },
      });
    });
    await unavailable;
    expect(states).toEqual(['connecting', 'live', 'retrying', 'unavailable']);
    expect(calls[0]).toMatchObject({ url: '/stories/raqqa-2017-10-15/stream?after=40' });
    expect(calls[0]?.headers).toMatchObject({ authorization: 'Bearer k1', accept: 'text/event-stream' });
    expect(calls[1]).toMatchObject({ url: '/stories/raqqa-2017-10-15/stream' });
    expect(calls[1]?.headers['last-event-id']).toBe('42');
    // The burst's reload ran after its debounce, once.
    expect(changes).toBe(1);
  });

  it('does not reload for the message that only opens the feed', async () => {
    answers.push(
      () => new Response(streamOf('id: 7\nevent: feed-open\ndata: {"after":"7"}\n\n'), { status: 200 }),
    );
    let changes = 0;
    await new Promise<void>((done) =>
      followStory('s', {
        onChange: () => changes++,
        onState: (state) => state === 'unavailable' && done(),
      }),
    );
    expect(calls[1]?.headers['last-event-id']).toBe('7');
    expect(changes).toBe(0);
  });

  it('says live updates are unavailable where the server has no stream route', async () => {
    const states: string[] = [];
    await new Promise<void>((done) =>
      followStory('s', {
        onChange: () => undefined,
        onState: (state) => {
          states.push(state);
          if (state === 'unavailable') done();
        },
      }),
    );
    expect(states).toEqual(['connecting', 'unavailable']);
    expect(calls).toHaveLength(1);
  });

  it('follows a claim at its own route, and stops where the key is refused (401)', async () => {
    answers.push(() => new Response(null, { status: 401 }));
    const states: string[] = [];
    await new Promise<void>((done) =>
      followClaim('c/1', {
        after: '9',
        onChange: () => undefined,
        onState: (state) => {
          states.push(state);
          if (state === 'unavailable') done();
        },
      }),
    );
    expect(calls).toEqual([
      {
        url: '/claims/c%2F1/stream?after=9',
        headers: expect.objectContaining({ authorization: 'Bearer k1' }),
      },
    ]);
    expect(states).toEqual(['connecting', 'unavailable']);
  });
});
