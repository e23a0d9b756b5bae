import { hash } from 'node:crypto';
import { canonicalJsonText, visitCanonicalMembers } from './canonical-json';
import { isOneJsonContainer } from './one-json-container';
import { CONTEXT_KEYS, ContextMembers, metadataText, withMember } from './context-members';
import { plainContextMembers } from './plain-context';

/**
 * A stored event as a store keeps it, before anything is parsed: data and the caller's context are
 * JSON text (the SQLite columns `data` and `metadata`, PostgreSQL's exact JSON text).
 */
export interface StoredEventText {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  /** JSON text of the event's data. */
  data: string;
  /** JSON text of the caller's context: principal, correlationId, causationId?, idempotencyKey?. */
  context: string;
  recordedAt: string;
  prevHash: string;
}

/**
 * `hashEvent` of the event these columns hold, computed from the text: the same SHA-256 over the
 * same RFC 8785 bytes, without JSON.parse, canonicalize or intermediate objects. Undefined when the
 * fast path cannot vouch for the answer (a context with other keys, text canonical-json.ts
 * declines): then parse the event and use `rehashStored`, which is the definition.
 *
 * The canonical layout is written out here in canonicalize's order (keys sorted by code unit):
 * data, eventId, metadata{causationId, correlationId, idempotencyKey, principal, recordedAt},
 * prevHash, schemaVersion, streamId, streamVersion, type.
 */
export function hashStoredEventText(event: StoredEventText): string | undefined {
  const metadata = canonicalMetadata(event.context, event.recordedAt);
  if (metadata === undefined) return undefined;
  const data = canonicalJsonText(event.data);
  if (data === undefined) return undefined;
  return hashComposed(event, data, metadata);
}

/**
 * Whether the last row's data column held its canonical text: stores write it so (decision 0021),
 * older logs hold JSON.stringify's key order. The next row tries the cheaper way first, so a log of
 * either kind pays for one way per row, not both.
 */
let lastDataCanonical = true;

/**
 * `storedHash` when the event's stored text hashes to it, else what `hashStoredEventText` gives
 * (a different hash, or undefined where it declines): the verifier accepts exactly when the answer
 * equals the stored hash, as with `hashStoredEventText` itself.
 *
 * When a store wrote the data column as the canonical text it hashed, the column is hashed as it
 * is: no scan, only `isOneJsonContainer`, which with the matching hash proves the column holds that
 * canonical text and nothing else (decision 0021 has the argument). Any other text (older logs,
 * an edit) takes the canonical scan, which finds and names the problem exactly as before.
 */
export function recomputeStoredEventHash(event: StoredEventText, storedHash: string): string | undefined {
  const metadata = contextMetadata(event.context, event.recordedAt);
  if (metadata === undefined) return undefined;
  let asStored: string | undefined;
  if (lastDataCanonical && isOneJsonContainer(event.data)) {
    asStored = hashComposed(event, event.data, metadata);
    if (asStored === storedHash) return asStored;
  }
  const data = canonicalJsonText(event.data);
  if (data === undefined) return undefined;
  lastDataCanonical = data === event.data;
  // Already hashed as it is: the canonical text is the same, so is its hash (an edited row).
  if (lastDataCanonical && asStored !== undefined) return asStored;
  return hashComposed(event, data, metadata);
}

/** SHA-256 of the event's canonical layout around canonical data and metadata texts. */
function hashComposed(event: StoredEventText, data: string, metadata: string): string {
  const text =
    `{"data":${data},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadata}` +
    `,"prevHash":${JSON.stringify(event.prevHash)},"schemaVersion":${event.schemaVersion}` +
    `,"streamId":${JSON.stringify(event.streamId)},"streamVersion":${event.streamVersion}` +
    `,"type":${JSON.stringify(event.type)}}`;
  return hash('sha256', text, 'hex');
}

/**
 * The canonical metadata text from the context column: the stores' plain layout read by a few
 * indexOf calls (plain-context.ts), else the general reading. A context (an object of the hashed
 * keys, each a string or null) is read with JSON.parse, as the store reads it, so a repeated key
 * resolves as there (the last wins); canonicalize writes a string as JSON.stringify does. Any other
 * value takes the scan (`canonicalMetadata`), and a key the hash does not cover declines.
 */
function contextMetadata(contextText: string, recordedAt: string): string | undefined {
  const plain = plainContextMembers(contextText);
  if (plain !== undefined) return metadataText(plain, recordedAt);
  let context: unknown;
  try {
    context = JSON.parse(contextText);
  } catch {
    return undefined;
  }
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return undefined;
  const members = context as Record<string, unknown>;
  let out = '';
  let taken = 0;
  for (const key of CONTEXT_KEYS) {
    if (!Object.hasOwn(members, key)) continue;
    const value = members[key];
    if (typeof value !== 'string' && value !== null) return canonicalMetadata(contextText, recordedAt);
    out = withMember(out, key, JSON.stringify(value));
    taken += 1;
  }
  if (Object.keys(members).length !== taken) return undefined;
  return metadataText(out, recordedAt);
}

/** The context's members as canonical text, filled by one scan (module state: no object per event). */
const scanned = new ContextMembers();
/** Takes the hashed keys once each; any other key, or a repeat, sends the event to the slow path. */
const takeContextMember = (key: string, token: string): boolean => scanned.take(key, token);

function canonicalMetadata(contextText: string, recordedAt: string): string | undefined {
  scanned.reset();
  if (!visitCanonicalMembers(contextText, takeContextMember)) return undefined;
  return metadataText(scanned.text(), recordedAt);
}
