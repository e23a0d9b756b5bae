import type { StoredEvent } from '@app/event-store';

/**
 * An event as every outside reader gets it — `GET /events`, the SSE feeds, the broker: the stored
 * event with its position as a decimal string (positions are bigint in the store). One function,
 * so what a reader may see of an event is decided in one place.
 */
export const eventToWire = (event: StoredEvent) => ({ ...event, position: event.position.toString() });

export type WireEvent = ReturnType<typeof eventToWire>;
