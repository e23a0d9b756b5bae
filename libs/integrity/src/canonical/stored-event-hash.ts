import { hash } from 'node:crypto';
import { canonicalJsonText, visitCanonicalMembers } from './canonical-json';

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
  const text =
    `{"data":${data},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadata}` +
    `,"prevHash":${JSON.stringify(event.prevHash)},"schemaVersion":${event.schemaVersion}` +
    `,"streamId":${JSON.stringify(event.streamId)},"streamVersion":${event.streamVersion}` +
    `,"type":${JSON.stringify(event.type)}}`;
  return hash('sha256', text, 'hex');
}

/** The context's members as canonical text, filled by one scan (module state: no closure per event). */
const context = {
  causationId: undefined as string | undefined,
  correlationId: undefined as string | undefined,
  idempotencyKey: undefined as string | undefined,
  principal: undefined as string | undefined,
};

/** Takes the hashed keys once each; any other key, or a repeat, sends the event to the slow path. */
function takeContextMember(key: string, value: string): boolean {
  switch (key) {
    case 'principal':
    case 'correlationId':
    case 'causationId':
    case 'idempotencyKey':
      if (context[key] !== undefined) return false;
      context[key] = value;
      return true;
    default:
      return false;
  }
}

function canonicalMetadata(contextText: string, recordedAt: string): string | undefined {
  context.causationId = undefined;
  context.correlationId = undefined;
  context.idempotencyKey = undefined;
  context.principal = undefined;
  if (!visitCanonicalMembers(contextText, takeContextMember)) return undefined;
  let out = '{';
  out = field(out, 'causationId', context.causationId);
  out = field(out, 'correlationId', context.correlationId);
  out = field(out, 'idempotencyKey', context.idempotencyKey);
  out = field(out, 'principal', context.principal);
  out = field(out, 'recordedAt', JSON.stringify(recordedAt));
  return `${out}}`;
}

/** canonicalize leaves out absent (undefined) members; JSON null is a value and stays. */
function field(out: string, key: string, value: string | undefined): string {
  if (value === undefined) return out;
  return `${out}${out.length > 1 ? ',' : ''}"${key}":${value}`;
}
