import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { sourceStreamId } from '@app/claims';
import { EVENT_STORE, type EventStore, type NewEvent } from '@app/event-store';
import { eventually, FrameReader } from '../support/sse';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

/** A small per-client buffer, and a short stall, so a client that never reads is found quickly. */
const LIMIT = 64 * 1024;
const STALL_MS = 300;
/** About 16 MB of events: far more than the kernel's socket buffers hold for a client that never reads. */
const PAGES = 20;
const PER_PAGE = 100;
const ROLE = 'x'.repeat(8_000);

/**
 * A client that never reads is cut off (reason slow-consumer) while what waits for it in the server
 * stays within its buffer limit plus one message, and its feed stops reading the log; a client
 * beside it that reads gets every event. Asserted on the server's own counters (/metrics).
 */
describe('a slow SSE consumer', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ SSE_CLIENT_BUFFER_BYTES: String(LIMIT), SSE_STALL_MS: String(STALL_MS) });
  });
  afterAll(() => api.close());

  const metric = async (name: string): Promise<number> => {
    const text = (await api.get<string>('/metrics', 'nobody')).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? 0 : Number(line.slice(name.length + 1));
  };

  /** Large events straight into the log (through the store: thousands of POSTs would only be slower). */
  const fillLog = async (): Promise<bigint> => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const sourceId = randomUUID();
    const event = (type: string, data: unknown): NewEvent => ({
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      data,
      metadata: { principal: 'slow-consumer-test', correlationId: randomUUID() },
    });
    const registered = { sourceId, name: 'Bulk source', kind: 'organization', protected: false };
    await store.append(sourceStreamId(sourceId), [event('SourceRegistered', registered)], 0);
    for (let page = 0; page < PAGES; page++) {
      const amended = { sourceId, changes: { role: ROLE }, reason: `page ${page}` };
      const events = Array.from({ length: PER_PAGE }, () => event('SourceAmended', amended));
      await store.append(sourceStreamId(sourceId), events, 'any');
    }
    return store.headPosition();
  };

  /** A raw HTTP client that sends the request and then never reads a byte. */
  const neverReading = (url: string): Socket => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.pause();
    socket.write(
      `GET /events/stream?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.admin}\r\n` +
        'Accept: text/event-stream\r\n\r\n',
    );
    return socket;
  };

  it('is cut off with its memory bounded, while a client that reads gets every event', async () => {
    const head = await fillLog();
    const slow = neverReading(api.url);
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));

    const res = await fetch(`${api.url}/events/stream?after=0`, {
      headers: { authorization: `Bearer ${KEYS.auditor}` },
    });
    const reader = new FrameReader(res.body!);
    const read = await reader.until((f) => f.id === String(head) && f.event !== 'feed-open');
    await reader.cancel();
    const events = read.filter((f) => f.event === 'SourceRegistered' || f.event === 'SourceAmended');
    expect(events.map((f) => f.id)).toEqual(Array.from({ length: Number(head) }, (_, i) => String(i + 1)));

    const cut = 'newsroom_sse_closed_total{reason="slow-consumer"}';
    await eventually('the slow client is cut off', async () => (await metric(cut)) === 1);
    // Only the slow one: the reading client left on its own.
    expect(await metric('newsroom_sse_closed_total{reason="client-gone"}')).toBe(1);

    // What waited for one client never passed the limit by more than one message (an event is ~8 KB).
    expect(await metric('newsroom_sse_client_buffer_limit_bytes')).toBe(LIMIT);
    const peak = await metric('newsroom_sse_client_buffer_peak_bytes');
    expect(peak).toBeGreaterThanOrEqual(LIMIT);
    expect(peak).toBeLessThan(LIMIT + 16 * 1024);
    // The slow client's feed stopped reading the log once its buffer was full: of the messages the
    // server queued, the reading client's are all the events, and the slow one's far fewer.
    const slowMessages = (await metric('newsroom_sse_messages_total')) - Number(head);
    expect(slowMessages).toBeGreaterThan(0);
    expect(slowMessages).toBeLessThan(Number(head));

    // The server closed the connection: a client that reads now finds its end.
    slow.resume();
    await slowClosed;
    await eventually('no feed left open', async () => (await metric('newsroom_sse_clients')) === 0);
  });
});
