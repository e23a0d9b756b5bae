import type { StoredEvent } from '@app/event-store';
import { protectedSourcePlaceholder } from '@app/claims';
import { IDENTITY_FIELDS, isSealed } from '@app/protection';

/**
 * An event as every outside reader gets it — `GET /events`, the SSE feeds, the broker: the stored
 * event with its position as a decimal string (positions are bigint in the store). One function,
 * so what a reader may see of an event is decided in one place.
 *
 * A protected source's identity is sealed in the log (docs/decisions/0016), so the wire carries
 * ciphertext that only its key opens, and auditors can hash what they receive. A registration
 * written before sealing existed may hold a protected identity in the clear: that never leaves
 * through here (the placeholder replaces it; such an event no longer hashes on the wire, which is
 * the lesser harm, and `newsroom-audit verify` still reads the store itself).
 */
export const eventToWire = (event: StoredEvent) => ({
  ...event,
  data: redactLegacyIdentity(event),
  position: event.position.toString(),
});

export type WireEvent = ReturnType<typeof eventToWire>;

function redactLegacyIdentity(event: StoredEvent): unknown {
  const data = event.data as Record<string, unknown> | null;
  if (
    event.type !== 'SourceRegistered' ||
    data === null ||
    typeof data !== 'object' ||
    data.protected !== true
  ) {
    return event.data;
  }
  const sourceId = String(data.sourceId);
  const clear = IDENTITY_FIELDS.filter((field) => typeof data[field] === 'string' && !isSealed(data[field]));
  if (clear.length === 0) return event.data;
  const redacted: Record<string, unknown> = { ...data };
  for (const field of clear) redacted[field] = protectedSourcePlaceholder(sourceId);
  return redacted;
}
