import type { StoredEvent } from '@app/event-store';
import { frameMessage, type SseMessage } from '@app/feeds';
import { eventToWire } from '../events/event-wire';

/**
 * The SSE message of one event (the contract in DESIGN.md): its position as the `id`, its type as
 * the `event`, and its wire form — the one `GET /events` serves, so what a reader may see of an
 * event (protected sources) is decided in eventToWire for every transport — as the `data`.
 */
export function eventMessage(event: StoredEvent): SseMessage {
  return { id: event.position.toString(), event: event.type, data: JSON.stringify(eventToWire(event)) };
}

/** Event type of the first message of every feed (its `id` is the position the feed starts after). */
export const FEED_OPEN_EVENT = 'feed-open';

/**
 * The first message: its `id` sets the client's Last-Event-ID to where the feed starts, so a client
 * that connected "from now" and loses the connection before any event resumes without a gap.
 */
export function openMessage(after: bigint): string {
  return frameMessage({
    id: after.toString(),
    event: FEED_OPEN_EVENT,
    data: JSON.stringify({ after: after.toString() }),
  });
}
