import { ApiError, authHeaders } from './api';

/** The event type of the feeds' first message (apps/newsroom-api/src/feeds). */
const FEED_OPEN = 'feed-open';

export type LiveState = 'connecting' | 'live' | 'retrying' | 'unavailable';

/** What the page's live-state line says; `howToUpdate` where the feed is not to be had. */
export function liveText(state: LiveState, howToUpdate: string): string {
  switch (state) {
    case 'connecting':
      return 'Live updates: connecting…';
    case 'live':
      return 'Live updates: on';
    case 'retrying':
      return 'Live updates: reconnecting…';
    case 'unavailable':
      return `Live updates: not offered by this server — ${howToUpdate}`;
  }
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export interface FeedHandlers {
  /** Start after this log position (the newest one the page shows). */
  after?: string;
  /** Something changed: called once per burst of events. */
  onChange: () => void;
  onState: (state: LiveState) => void;
}

/** GET /stories/{storyId}/stream: the story page's feed. */
export const followStory = (storyId: string, handlers: FeedHandlers): (() => void) =>
  followFeed(`/stories/${encodeURIComponent(storyId)}/stream`, handlers);

/** GET /claims/{claimId}/stream: the claim page's feed. */
export const followClaim = (claimId: string, handlers: FeedHandlers): (() => void) =>
  followFeed(`/claims/${encodeURIComponent(claimId)}/stream`, handlers);

/**
 * Follows one SSE feed of the API (the SSE contract in the plan: `id: <position>`,
 * `event: <type>`, `data: <wire JSON>`, `: heartbeat` comments). Read with fetch, not EventSource:
 * EventSource cannot send the Authorization header. A server without the route (404) leaves the
 * Refresh button (or reloading the page) as the way to update; a dropped stream resumes from the
 * last id it delivered. Returns a function that stops following.
 */
export function followFeed(path: string, handlers: FeedHandlers): () => void {
  const stop = new AbortController();
  let lastId: string | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  // A burst of events (a desk reporting ten statements) is one reload, not ten.
  const changed = () => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      handlers.onChange();
    }, 300);
  };

  const run = async () => {
    let delay = 1_000;
    handlers.onState('connecting');
    while (!stop.signal.aborted) {
      try {
        const headers: Record<string, string> = { ...authHeaders(), accept: 'text/event-stream' };
        let url = path;
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        else if (handlers.after !== undefined) url += `?after=${encodeURIComponent(handlers.after)}`;
        const response = await fetch(url, { headers, signal: stop.signal });
        if (response.status === 404 || response.status === 405 || response.status === 501) {
          handlers.onState('unavailable');
          return;
        }
        if (!response.ok || response.body === null) {
          throw new ApiError(response.status, `HTTP_${response.status}`, 'the stream was refused');
        }
        handlers.onState('live');
        delay = 1_000;
        await readSse(response.body, (message) => {
          if (message.id !== undefined) lastId = message.id;
          // The feeds' first message only says where the feed starts: nothing changed yet.
          if (message.event !== FEED_OPEN) changed();
        });
      } catch (error) {
        if (stop.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          handlers.onState('unavailable');
          return;
        }
      }
      handlers.onState('retrying');
      await new Promise((resume) => setTimeout(resume, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void run();
  return () => {
    stop.abort();
    clearTimeout(pending);
  };
}

/** Parses a text/event-stream body (WHATWG HTML, "event stream interpretation"); comments are skipped. */
export async function readSse(body: ReadableStream<Uint8Array>, onMessage: (message: SseMessage) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let message: { id?: string; event?: string; data: string[] } = { data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (message.data.length > 0 || message.event !== undefined) {
          onMessage({ id: message.id, event: message.event, data: message.data.join('\n') });
        }
        message = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const raw = colon < 0 ? '' : line.slice(colon + 1);
      const text = raw.startsWith(' ') ? raw.slice(1) : raw;
      if (field === 'id') message.id = text;
      else if (field === 'event') message.event = text;
      else if (field === 'data') message.data.push(text);
    }
  }
}
