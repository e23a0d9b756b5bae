import { EventSource } from 'eventsource';

/** One SSE message as the raw bytes said it (for format checks), or a comment. */
export interface RawFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/**
 * Reads an event stream off a fetch response, message by message, without an SSE client in the
 * way: what the tests check is the bytes the server sends.
 */
export class FrameReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next message, or undefined when the stream ends. */
  async next(): Promise<RawFrame | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return parseBlock(block);
      }
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Messages until one matches (included), or the stream ends. */
  async until(predicate: (frame: RawFrame) => boolean): Promise<RawFrame[]> {
    const frames: RawFrame[] = [];
    for (let frame = await this.next(); frame !== undefined; frame = await this.next()) {
      frames.push(frame);
      if (predicate(frame)) break;
    }
    return frames;
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

function parseBlock(block: string): RawFrame {
  const frame: RawFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = line.slice(0, colon) as 'id' | 'event' | 'data' | 'retry';
    const value = line.slice(colon + 1).replace(/^ /, '');
    frame[field] = field === 'data' && frame.data !== undefined ? `${frame.data}\n${value}` : value;
  }
  return frame;
}

export interface Received {
  id: string;
  type: string;
  data: any;
}

/**
 * A real EventSource (the `eventsource` package) on a feed, with the API key sent through its
 * custom fetch. Records each message of the given types and the Last-Event-ID of every connection
 * it makes (its reconnections included).
 */
export function follow(
  url: string,
  key: string,
  types: readonly string[],
  options: { lastEventId?: string } = {},
) {
  const received: Received[] = [];
  const connections: (string | null)[] = [];
  const errors: { code?: number; message?: string }[] = [];
  const source = new EventSource(url, {
    fetch: (input, init) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${key}`);
      // A first connection that resumes as a reconnecting client would (EventSource cannot be given one).
      if (connections.length === 0 && options.lastEventId !== undefined)
        headers.set('last-event-id', options.lastEventId);
      connections.push(headers.get('last-event-id'));
      return fetch(input, { ...init, headers });
    },
  });
  for (const type of types)
    source.addEventListener(type, (message) => {
      // After close() the rest of a chunk already read may still be parsed: it was not received.
      if (source.readyState !== source.CLOSED)
        received.push({ id: message.lastEventId, type, data: JSON.parse(message.data as string) });
    });
  source.addEventListener('error', (event) => errors.push({ code: event.code, message: event.message }));
  return { source, received, connections, errors };
}

/**
 * Waits for a condition the server brings about (a message, a counter), looking every 20 ms. The
 * bound only keeps a broken run from hanging: nothing is asserted about how long it took.
 */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  boundMs = 30_000,
) {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
