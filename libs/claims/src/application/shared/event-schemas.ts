import { CLAIM_EVENT_TYPES, type ClaimEvent } from '../../domain/claim.events';
import { SOURCE_EVENT_TYPES, type SourceEvent } from '../../domain/source.events';

/**
 * The schema version each event type is written with today. When a type's data changes shape,
 * bump it here and register an upcaster from the old version (see UPCASTERS), so old events
 * still fold; stored bytes are never rewritten, so their hashes stay verifiable.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<ClaimEvent['type'] | SourceEvent['type'], number>> = {
  SourceRegistered: 1,
  SourceAmended: 1,
  SourceIdentityShredded: 1,
  ClaimOpened: 1,
  ClaimReworded: 1,
  StatementReported: 1,
  StatementCorrected: 1,
  StatementRetracted: 1,
  VerdictIssued: 1,
  VerdictWithdrawn: 1,
};

/** `{ [type]: { [fromVersion]: (data) => dataAtFromVersionPlusOne } }`: none needed yet. */
export const UPCASTERS: Readonly<Record<string, Readonly<Record<number, (data: unknown) => unknown>>>> = {};

const KNOWN = new Set<string>([...CLAIM_EVENT_TYPES, ...SOURCE_EVENT_TYPES]);
export const isKnownEventType = (type: string): boolean => KNOWN.has(type);
