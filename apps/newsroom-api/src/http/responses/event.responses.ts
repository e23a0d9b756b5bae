import { z } from 'zod';
import { exactly } from './exact';
import type { WireEvent } from '../../events/event-wire';
import { instant, position } from './values.responses';

/** GET /events: the raw log, hashes included (auditors). */

export const wireEvent = z.object({
  eventId: z.string(),
  streamId: z.string(),
  streamVersion: z.number().int(),
  position,
  type: z.string(),
  schemaVersion: z.number().int(),
  // The event's own data, whatever its type: serialized as it is stored.
  data: z.unknown().nonoptional().meta({ description: "the event's data, by its type" }),
  metadata: z.object({
    principal: z.string().meta({ description: "the API key's name, never the key" }),
    correlationId: z.string(),
    causationId: z.string().optional(),
    idempotencyKey: z.string().optional(),
    recordedAt: instant,
    hash: z.string().meta({ description: 'SHA-256 (hex) of the RFC 8785 canonical form, chained' }),
    prevHash: z.string(),
  }),
});
exactly<typeof wireEvent, WireEvent>();

export const eventPage = z.object({
  events: z.array(wireEvent),
  head: position,
  next: position.nullable().meta({ description: 'the `after` of the next page; null at the head' }),
});
/** What EventsController answers (its return type, so the controller and this schema agree). */
export interface EventPageBody {
  events: WireEvent[];
  head: string;
  next: string | null;
}
exactly<typeof eventPage, EventPageBody>();
