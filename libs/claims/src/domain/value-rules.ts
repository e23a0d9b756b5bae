/**
 * Shape rules the deciders share: that every field a command carries is well-formed before it
 * becomes a permanent, hash-chained event (what a value and a statement must be on a claim of a
 * given kind is in statement-rules.ts).
 *
 * Commands may arrive from JSON that an adapter validated loosely, so these checks look at runtime
 * values (`unknown`), not only at the static types. Each failure throws a DomainError naming the
 * field at fault as a dotted path (`quote.translation.language`, `changes.value.min`).
 */
import { DomainError, type DomainErrorCode } from './domain-error';
import {
  LIMITS,
  STATED_PRECISIONS,
  VIA_KINDS,
  type Proposition,
  type Quote,
  type StatedAt,
  type Via,
} from './values';

/** Ids come from clients (UUIDs) or the server; a bound keeps a hostile id out of stream names. */
const ID_CHARS = 200;
/** BCP 47 asks implementations to support tags of at least 35 characters; none needs more. */
const LANGUAGE_TAG_CHARS = 35;
const URL_CHARS = 2_000;
/** The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia). */
export const TIME_ZONE_CHARS = 64;

// ---------------------------------------------------------------- failing

export function fail(code: DomainErrorCode, message: string, field?: string): never {
  throw new DomainError(code, message, field);
}

/** Joins a field path: `at('changes', 'value')` is `changes.value`; an empty prefix adds nothing. */
export function at(prefix: string, key: string | number): string {
  return prefix === '' ? String(key) : `${prefix}.${key}`;
}

// ---------------------------------------------------------------- plain JSON helpers

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys whose value is not undefined: JSON drops the others, so they never count. */
export function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/**
 * A copy without undefined-valued keys, at any depth. Events are stored as JSON and hashed over
 * their canonical form, so an event must equal its own JSON round trip.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutUndefined(item)) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) copy[key] = withoutUndefined(item);
  }
  return copy as T;
}

/** Structural equality as JSON sees it: key order and undefined-valued keys do not matter. */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item: unknown, i) => isSameJson(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = definedKeys(a);
    return keys.length === definedKeys(b).length && keys.every((key) => isSameJson(a[key], b[key]));
  }
  return false;
}

/** Applies a patch where `null` removes an optional field and an absent key leaves it as it was. */
export function applyPatch<T extends object>(current: T, changes: { [K in keyof T]?: T[K] | null }): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as T;
}

/**
 * Rejects keys we do not know: an unknown key would otherwise be hashed into history forever.
 * `code` names the refusal where a value's own shape is at fault (VALUE_INVALID, say).
 */
export function requireKnownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
  code: DomainErrorCode = 'INVALID_FIELD',
): void {
  // Every command and body field passes here: no array of the defined keys first.
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined && !allowed.includes(key))
      fail(code, `unknown field "${key}"`, at(field, key));
  }
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) fail('INVALID_FIELD', 'must be an object', field);
  return value;
}

/** A command's data: an object holding only the keys its type names, whatever the adapter let through. */
export function requireData(value: unknown, allowed: readonly string[]): Record<string, unknown> {
  const data = requireObject(value, 'data');
  requireKnownKeys(data, allowed, '');
  return data;
}

// ---------------------------------------------------------------- scalars

/** Characters as a reader counts them (code points), so an Arabic or emoji quote is not short-changed. */
export function charCount(text: string): number {
  let count = 0;
  for (const _char of text) count++;
  return count;
}

/**
 * Required text: a string with something besides white space, at most `maxChars` characters.
 * Stored exactly as given (quotes are verbatim); only the emptiness check ignores white space.
 */
export function requireText(value: unknown, field: string, maxChars: number): string {
  if (typeof value !== 'string') fail('INVALID_FIELD', 'must be a string', field);
  if (value.trim() === '') fail('INVALID_FIELD', 'must not be empty', field);
  if (charCount(value) > maxChars) fail('INVALID_FIELD', `must be at most ${maxChars} characters`, field);
  return value;
}

export function optionalText(value: unknown, field: string, maxChars: number): string | undefined {
  return value === undefined ? undefined : requireText(value, field, maxChars);
}

export function requireId(value: unknown, field: string): string {
  return requireText(value, field, ID_CHARS);
}

/** A reason for an amendment, correction, rewording or withdrawal: the audit trail needs one. */
export function requireReason(value: unknown, field = 'reason'): string {
  return requireText(value, field, LIMITS.reasonChars);
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail('INVALID_FIELD', `must be one of ${allowed.join(', ')}`, field);
  }
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail('INVALID_FIELD', 'must be true or false', field);
  return value;
}

/**
 * BCP-47-ish: an ISO 639 primary subtag of 2–3 letters (`ar`, `en`, `ckb`, `und`) then subtags of
 * 1–8 letters or digits (`en-GB`, `zh-Hant-TW`, `ar-Latn`), or a private-use tag (`x-…`).
 * A shape check, not a registry check: it catches "Arabic" and "ar_SY", not unassigned codes.
 */
const LANGUAGE_TAG = /^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|[xX](?:-[A-Za-z0-9]{1,8})+)$/;

export function requireLanguageTag(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > LANGUAGE_TAG_CHARS || !LANGUAGE_TAG.test(value)) {
    fail('INVALID_FIELD', 'must be a language tag such as "ar" or "en-GB"', field);
  }
  return value;
}

// ---------------------------------------------------------------- calendar and time

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Date.parse accepts 30 February (it rolls over), so the calendar is checked by hand. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DDThh:mm[:ss[.fraction]]Z`: UTC only, so stated times compare without time zones. */
const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?Z$/;

export function isUtcInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = UTC_INSTANT.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second = '00'] = match as unknown as string[];
  return (
    isCalendarDate(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59
  );
}

export function requireUtcInstant(value: unknown, field: string): string {
  if (!isUtcInstant(value)) {
    fail('INVALID_FIELD', 'must be an ISO 8601 UTC instant such as "2017-10-15T09:00:00Z"', field);
  }
  return value;
}

// ---------------------------------------------------------------- composite fields

export function requireProposition(value: unknown, field = 'proposition'): Proposition {
  const proposition = requireObject(value, field);
  requireKnownKeys(proposition, ['text', 'language'], field);
  return {
    text: requireText(proposition.text, at(field, 'text'), LIMITS.propositionChars),
    language: requireLanguageTag(proposition.language, at(field, 'language')),
  };
}

/** The quote is verbatim in its original language; the translation, if any, is ours. */
export function requireQuote(value: unknown, field = 'quote'): Quote {
  const quote = requireObject(value, field);
  requireKnownKeys(quote, ['text', 'language', 'translatedFrom', 'translation'], field);
  const text = requireText(quote.text, at(field, 'text'), LIMITS.quoteChars);
  const language = requireLanguageTag(quote.language, at(field, 'language'));
  const translatedFrom =
    quote.translatedFrom === undefined
      ? undefined
      : requireLanguageTag(quote.translatedFrom, at(field, 'translatedFrom'));
  if (translatedFrom !== undefined && translatedFrom.toLowerCase() === language.toLowerCase()) {
    fail('INVALID_FIELD', 'a quote is not translated from its own language', at(field, 'translatedFrom'));
  }
  if (quote.translation === undefined) return withoutUndefined({ text, language, translatedFrom });
  const translationField = at(field, 'translation');
  const translation = requireObject(quote.translation, translationField);
  requireKnownKeys(translation, ['text', 'language'], translationField);
  return withoutUndefined({
    text,
    language,
    translatedFrom,
    translation: {
      text: requireText(translation.text, at(translationField, 'text'), LIMITS.quoteChars),
      language: requireLanguageTag(translation.language, at(translationField, 'language')),
    },
  });
}

export function requireStatedAt(value: unknown, field = 'statedAt'): StatedAt {
  const statedAt = requireObject(value, field);
  requireKnownKeys(statedAt, ['at', 'precision'], field);
  return {
    at: requireUtcInstant(statedAt.at, at(field, 'at')),
    precision: requireOneOf(statedAt.precision, STATED_PRECISIONS, at(field, 'precision')),
  };
}

/** A link a reader can follow: absolute http(s) only (no `javascript:` or `file:` in our record). */
export function requireUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > URL_CHARS)
    fail('INVALID_FIELD', 'must be an http(s) URL', field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('INVALID_FIELD', 'must be an absolute http(s) URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail('INVALID_FIELD', 'must be an http(s) URL', field);
  return value;
}

export function requireVia(value: unknown, field = 'via'): Via {
  const via = requireObject(value, field);
  requireKnownKeys(via, ['outlet', 'kind', 'url', 'reportedAt'], field);
  return withoutUndefined({
    outlet: requireText(via.outlet, at(field, 'outlet'), LIMITS.nameChars),
    kind: requireOneOf(via.kind, VIA_KINDS, at(field, 'kind')),
    url: via.url === undefined ? undefined : requireUrl(via.url, at(field, 'url')),
    reportedAt:
      via.reportedAt === undefined ? undefined : requireUtcInstant(via.reportedAt, at(field, 'reportedAt')),
  });
}
