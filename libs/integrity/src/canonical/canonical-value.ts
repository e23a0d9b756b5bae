import { hash } from 'node:crypto';
import type { HashableEvent } from '../event-hash';

/**
 * RFC 8785 canonical JSON of a JSON value in memory, in one pass: the write path of the event
 * stores computes it once per event, hashes it (`hashEventWithCanonicalData`) and stores it as the
 * event's data text, instead of copying the value, canonicalizing the whole event and serialising
 * the data again. Whenever it answers, the answer equals `canonicalize(value)` (the definition
 * event-hash.ts uses; a property test holds the two together).
 *
 * It answers only for plain JSON: null, booleans, strings, finite numbers, dense arrays of those and
 * plain objects (prototype Object.prototype or null) whose values are those or undefined (an
 * undefined member is left out, as canonicalize and JSON.stringify do). Anything else — a function,
 * symbol, bigint, NaN or Infinity, an undefined or missing array item, a Date or class instance, a
 * cycle — gets `undefined`, and the caller decides (the event stores reject it with a precise error).
 */
export function canonicalJsonValue(value: unknown): string | undefined {
  const out = write(value, 0);
  ancestors.clear();
  return out;
}

/** The canonical text of a value and a copy of it equal to `JSON.parse(text)`, keys in its order. */
export interface CanonicalCopy {
  text: string;
  copy: unknown;
}

/**
 * `canonicalJsonValue`, and in the same pass the value `JSON.parse` of that text would give: keys
 * in canonical order, -0 as 0, undefined members left out, plain objects and arrays (a property
 * test holds it to JSON.parse). The SQLite and memory stores return this copy from an append, so
 * they no longer parse the text they have just written (decision 0035).
 */
export function canonicalJsonCopy(value: unknown): CanonicalCopy | undefined {
  copying = true;
  try {
    const text = write(value, 0);
    return text === undefined ? undefined : { text, copy: copied };
  } finally {
    copying = false;
    copied = undefined;
    ancestors.clear();
  }
}

/** Below this depth no cycle is possible without passing it; past it, ancestors are tracked. */
const UNTRACKED_DEPTH = 64;
/** The objects on the current path beyond UNTRACKED_DEPTH (module state: calls never nest). */
const ancestors = new Set<object>();
/** Whether `write` also builds the copy (canonicalJsonCopy), and the copy of what it last wrote. */
let copying = false;
let copied: unknown;

function write(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      copied = value;
      return quote(value);
    case 'number':
      // -0 prints as 0, and JSON.parse reads it back as 0.
      copied = value === 0 ? 0 : value;
      // ECMAScript's Number-to-String, as RFC 8785 3.2.2.3 prescribes; -0 prints as 0.
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      copied = value;
      return value ? 'true' : 'false';
    case 'object':
      copied = null;
      if (value === null) return 'null';
      return writeComposite(value, depth);
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return undefined;
  }
}

function writeComposite(value: object, depth: number): string | undefined {
  const tracked = depth >= UNTRACKED_DEPTH;
  if (tracked) {
    if (ancestors.has(value)) return undefined;
    ancestors.add(value);
  }
  const out = Array.isArray(value) ? writeArray(value, depth + 1) : writeObject(value, depth + 1);
  if (tracked) ancestors.delete(value);
  return out;
}

function writeArray(items: readonly unknown[], depth: number): string | undefined {
  const copy: unknown[] | undefined = copying ? new Array<unknown>(items.length) : undefined;
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    // A hole reads as undefined too: JSON.stringify would write null, canonicalize skip it.
    const item = write(items[i], depth);
    if (item === undefined) return undefined;
    if (copy !== undefined) copy[i] = copied;
    out += i === 0 ? item : `,${item}`;
  }
  copied = copy;
  return `${out}]`;
}

function writeObject(value: object, depth: number): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const record = value as Record<string, unknown>;
  // canonicalize sorts with Array.prototype.sort's default order: by UTF-16 code units.
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> | undefined = copying ? {} : undefined;
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    const text = write(member, depth);
    if (text === undefined) return undefined;
    if (copy !== undefined) copyMember(copy, key, copied);
    out += `${first ? '' : ','}${quote(key)}:${text}`;
    first = false;
  }
  copied = copy;
  return `${out}}`;
}

/** As JSON.parse makes members: "__proto__" too is an own key, not the prototype. */
function copyMember(copy: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    copy[key] = value;
  }
}

/** Code units JSON.stringify escapes: quote, backslash, controls, and (when lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * canonicalize's rule for strings (RFC 8785 3.2.2.2 is JSON.stringify's escaping). Most strings
 * need no escape, and quoting them by hand costs half of calling JSON.stringify.
 */
function quote(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** What `hashEventWithCanonicalData` hashes besides the data: the event without it. */
export type HashableEventHead = Omit<HashableEvent, 'data'>;

/**
 * The canonical text `canonicalEventBytes` builds for the event, from its parts and the canonical
 * text of its data (as `canonicalJsonValue` gives it), without canonicalizing the event again. The
 * layout is canonicalize's key order: data, eventId, metadata{causationId, correlationId,
 * idempotencyKey, principal, recordedAt}, prevHash, schemaVersion, streamId, streamVersion, type.
 */
export function canonicalEventText(event: HashableEventHead, canonicalData: string): string {
  const { metadata } = event;
  let meta = '{';
  meta = member(meta, 'causationId', metadata.causationId);
  meta = member(meta, 'correlationId', metadata.correlationId);
  meta = member(meta, 'idempotencyKey', metadata.idempotencyKey);
  meta = member(meta, 'principal', metadata.principal);
  meta = member(meta, 'recordedAt', metadata.recordedAt);
  return (
    `{"data":${canonicalData},"eventId":${scalar(event.eventId)},"metadata":${meta}}` +
    `,"prevHash":${scalar(event.prevHash)},"schemaVersion":${scalar(event.schemaVersion)}` +
    `,"streamId":${scalar(event.streamId)},"streamVersion":${scalar(event.streamVersion)}` +
    `,"type":${scalar(event.type)}}`
  );
}

/**
 * `hashEvent` of the event whose data has this canonical text: the same SHA-256, hex, over the
 * same bytes. The caller vouches that `canonicalData` is canonical (it came from canonicalJsonValue).
 */
export function hashEventWithCanonicalData(event: HashableEventHead, canonicalData: string): string {
  return hash('sha256', canonicalEventText(event, canonicalData), 'hex');
}

/** The event's own fields are strings and numbers; anything else is not this fast path's business. */
function scalar(value: string | number): string {
  const text = write(value, 0);
  if (text === undefined) throw new Error('event is not canonicalizable JSON');
  return text;
}

/** canonicalize leaves out undefined members. */
function member(out: string, key: string, value: string | undefined): string {
  if (value === undefined) return out;
  return `${out}${out.length > 1 ? ',' : ''}"${key}":${scalar(value)}`;
}
