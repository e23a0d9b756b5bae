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
  ClaimOpened: 2,
  ClaimReworded: 1,
  StatementReported: 2,
  StatementCorrected: 2,
  StatementRetracted: 2,
  VerdictIssued: 1,
  VerdictWithdrawn: 1,
  ClaimsMerged: 1,
  ClaimAbsorbed: 1,
};

/**
 * Version 2 of ClaimOpened (`varies`) and of the statement events (issue 10, decision 0019) only adds: values may be open-ended
 * quantities (`{min}`, `{max}`) or zoned dates and times, an `uncertain` stance may carry a value,
 * a figure may say the moment it describes (`asOf`), a quote may say `translatedFrom`, a channel may be a document, photo or video, and a retraction
 * may say whose fault it was. Every version-1 event is already a valid version-2 event, so the
 * step is the identity; the bump is there so that code that only knows version 1 refuses these
 * events (UnknownSchemaVersionError) instead of misreading a `{min}` or a time zone.
 */
const unchanged = (data: unknown): unknown => data;

/** `{ [type]: { [fromVersion]: (data) => dataAtFromVersionPlusOne } }`. */
export const UPCASTERS: Readonly<Record<string, Readonly<Record<number, (data: unknown) => unknown>>>> = {
  ClaimOpened: { 1: unchanged },
  StatementReported: { 1: unchanged },
  StatementCorrected: { 1: unchanged },
  StatementRetracted: { 1: unchanged },
};

const KNOWN = new Set<string>([...CLAIM_EVENT_TYPES, ...SOURCE_EVENT_TYPES]);
export const isKnownEventType = (type: string): boolean => KNOWN.has(type);
