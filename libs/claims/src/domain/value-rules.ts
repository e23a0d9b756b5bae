/**
 * Shape rules the deciders share: that a value fits a claim's kind and a stance, and that every
 * field a command carries is well-formed before it becomes a permanent, hash-chained event.
 *
 * Commands may arrive from JSON that an adapter validated loosely, so these checks look at runtime
 * values (`unknown`), not only at the static types. Each failure throws a DomainError naming the
 * field at fault as a dotted path (`quote.translation.language`, `changes.value.min`).
 */
import type { StatementFields } from './claim.events';
import { isRealDate, parseDateString, precisionsSpelled, zoneOf } from './date-span';
import { DomainError, type DomainErrorCode } from './domain-error';
import {
  ATTRIBUTIONS,
  DATE_PRECISIONS,
  LIMITS,
  STANCES,
  STATED_PRECISIONS,
  VALUE_KINDS,
  VIA_KINDS,
  type Attribution,
  type ClaimValue,
  type DatePrecision,
  type DateValue,
  type Proposition,
  type QuantityValue,
  type Quote,
  type Stance,
  type StatedAt,
  type ValueKind,
  type Via,
} from './values';

/** Ids come from clients (UUIDs) or the server; a bound keeps a hostile id out of stream names. */
const ID_CHARS = 200;
/** BCP 47 asks implementations to support tags of at least 35 characters; none needs more. */
const LANGUAGE_TAG_CHARS = 35;
const URL_CHARS = 2_000;
/** The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia). */
const TIME_ZONE_CHARS = 64;

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
function definedKeys(value: Record<string, unknown>): string[] {
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
  for (const key of definedKeys(value)) copy[key] = withoutUndefined(value[key]);
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

/** Rejects keys we do not know: an unknown key would otherwise be hashed into history forever. */
export function requireKnownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
): void {
  for (const key of definedKeys(value)) {
    if (!allowed.includes(key)) fail('INVALID_FIELD', `unknown field "${key}"`, at(field, key));
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

// ---------------------------------------------------------------- claim kinds and values

export function requireValueKind(value: unknown, field = 'valueKind'): ValueKind {
  return requireOneOf(value, VALUE_KINDS, field);
}

/** A unit only makes sense for a quantity ("fighters", "km"); elsewhere it would be silently ignored. */
export function checkUnit(valueKind: ValueKind, unit: unknown, field = 'unit'): string | undefined {
  if (unit === undefined) return undefined;
  if (valueKind !== 'quantity') fail('UNIT_NOT_ALLOWED', `a ${valueKind} claim has no unit`, field);
  return requireText(unit, field, LIMITS.nameChars);
}

const QUANTITY_KEYS = ['exact', 'min', 'max', 'approx'];

/**
 * The kind a value looks like, so that a value of another kind is a mismatch and a broken value of
 * the right kind is invalid. A bare number looks like a quantity (that forgot `{exact}`).
 */
function apparentKind(value: unknown): ValueKind | undefined {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'quantity';
  if (!isPlainObject(value)) return undefined;
  if ('date' in value || 'precision' in value) return 'date';
  if (QUANTITY_KEYS.some((key) => key in value)) return 'quantity';
  return undefined;
}

const EXPECTED_SHAPE: Record<ValueKind, string> = {
  boolean: 'true or false',
  quantity: '{ exact: n }, { min: a, max: b }, { min: a }, { max: b } or { approx: n }',
  date:
    '{ date: "YYYY" | "YYYY-MM" | "YYYY-MM-DD" | "YYYY-MM-DDThh" | "YYYY-MM-DDThh:mm", ' +
    'precision: "year" | "month" | "day" | "hour" | "minute", timeZone?: IANA name or "+03:00" }',
  text: 'a non-empty string',
};

export function requireValueOfKind(valueKind: ValueKind, value: unknown, field = 'value'): ClaimValue {
  const kind = apparentKind(value);
  if (kind === undefined)
    fail('VALUE_INVALID', `a ${valueKind} claim takes ${EXPECTED_SHAPE[valueKind]}`, field);
  if (kind !== valueKind) {
    fail(
      'VALUE_KIND_MISMATCH',
      `a ${valueKind} claim takes ${EXPECTED_SHAPE[valueKind]}, not a ${kind}`,
      field,
    );
  }
  switch (valueKind) {
    case 'boolean':
      return value as boolean;
    case 'quantity':
      return requireQuantity(value, field);
    case 'date':
      return requireDateValue(value, field);
    case 'text':
      return requireTextValue(value, field);
    default: {
      const _exhaustive: never = valueKind;
      throw new Error(`unknown value kind ${String(_exhaustive)}`);
    }
  }
}

function requireFiniteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail('VALUE_INVALID', 'must be a finite number', field);
  return value;
}

/** Exactly one of the five forms; NaN and Infinity have no interval, so they are refused. */
export function requireQuantity(value: unknown, field = 'value'): QuantityValue {
  if (!isPlainObject(value)) fail('VALUE_INVALID', `a quantity is ${EXPECTED_SHAPE.quantity}`, field);
  const keys = definedKeys(value).sort().join(',');
  switch (keys) {
    case 'exact':
      return { exact: requireFiniteNumber(value.exact, at(field, 'exact')) };
    case 'approx':
      return { approx: requireFiniteNumber(value.approx, at(field, 'approx')) };
    case 'min':
      return { min: requireFiniteNumber(value.min, at(field, 'min')) };
    case 'max':
      return { max: requireFiniteNumber(value.max, at(field, 'max')) };
    case 'max,min': {
      const min = requireFiniteNumber(value.min, at(field, 'min'));
      const max = requireFiniteNumber(value.max, at(field, 'max'));
      if (min > max) fail('VALUE_INVALID', 'min must not exceed max', field);
      return { min, max };
    }
    default:
      return fail('VALUE_INVALID', `a quantity is ${EXPECTED_SHAPE.quantity}`, field);
  }
}

/**
 * The string must spell exactly its precision: finer would claim more than the source said, and
 * coarser would leave readers unsure which part of the date to compare. The time zone, when given,
 * must be one the zone database knows, so the span can always be computed.
 */
export function requireDateValue(value: unknown, field = 'value'): DateValue {
  if (!isPlainObject(value)) fail('VALUE_INVALID', `a date is ${EXPECTED_SHAPE.date}`, field);
  requireKnownKeysAs('VALUE_INVALID', value, ['date', 'precision', 'timeZone'], field);
  const precision = value.precision;
  if (typeof precision !== 'string' || !(DATE_PRECISIONS as readonly string[]).includes(precision)) {
    fail('VALUE_INVALID', `must be one of ${DATE_PRECISIONS.join(', ')}`, at(field, 'precision'));
  }
  const date = value.date;
  const parts = typeof date === 'string' ? parseDateString(date) : undefined;
  if (parts === undefined) {
    fail(
      'VALUE_INVALID',
      'must be YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh or YYYY-MM-DDThh:mm',
      at(field, 'date'),
    );
  }
  const dateText = date as string;
  if (!precisionsSpelled(parts).includes(precision as DatePrecision)) {
    fail('VALUE_INVALID', `"${dateText}" does not match precision "${precision}"`, at(field, 'date'));
  }
  if (!isRealDate(parts))
    fail('VALUE_INVALID', `"${dateText}" is not a calendar date and time`, at(field, 'date'));
  const timeZone = value.timeZone;
  if (timeZone === undefined) return { date: dateText, precision: precision as DatePrecision };
  if (typeof timeZone !== 'string' || timeZone.length > TIME_ZONE_CHARS || zoneOf(timeZone) === undefined) {
    fail(
      'VALUE_INVALID',
      'must be an IANA time zone such as "Asia/Amman" or a UTC offset such as "+03:00"',
      at(field, 'timeZone'),
    );
  }
  return { date: dateText, precision: precision as DatePrecision, timeZone };
}

function requireKnownKeysAs(
  code: DomainErrorCode,
  value: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
): void {
  for (const key of definedKeys(value)) {
    if (!allowed.includes(key)) fail(code, `unknown field "${key}"`, at(field, key));
  }
}

export function requireTextValue(value: unknown, field = 'value'): string {
  if (typeof value !== 'string' || value.trim() === '') fail('VALUE_INVALID', 'must not be empty', field);
  if (charCount(value) > LIMITS.textValueChars) {
    fail('VALUE_INVALID', `must be at most ${LIMITS.textValueChars} characters`, field);
  }
  return value;
}

/**
 * `affirms` states a value; `denies` may deny one or the whole proposition; `uncertain` may carry
 * the value the source leans to ("about 20, but I'm not sure"), shown but never asserting;
 * `declined` says nothing about the value, so carrying one would put words in the source's mouth.
 */
export function checkStanceValue(stance: Stance, value: unknown, field = 'value'): void {
  switch (stance) {
    case 'affirms':
      if (value === undefined) fail('VALUE_REQUIRED', 'an affirming statement must state the value', field);
      return;
    case 'denies':
    case 'uncertain':
      return;
    case 'declined':
      if (value !== undefined)
        fail('VALUE_NOT_ALLOWED', `a statement that is ${stance} carries no value`, field);
      return;
    default: {
      const _exhaustive: never = stance;
      throw new Error(`unknown stance ${String(_exhaustive)}`);
    }
  }
}

/**
 * DOMAIN.md rule 4: on a varying claim a figure describes a moment, given as a stated time is (an
 * instant and its precision). On any other claim a moment would be silently meaningless.
 */
function requireAsOf(value: unknown, varies: boolean, field: string): StatedAt {
  if (!varies) fail('INVALID_FIELD', "only a varying claim's figures describe a moment (asOf)", field);
  return requireStatedAt(value, field);
}

/**
 * Every rule a statement must meet on a claim of `valueKind`, whether reported or as corrected.
 * Returns the statement fields rebuilt from known keys only, with no undefined keys.
 */
export function requireStatementFields(
  statement: object,
  valueKind: ValueKind,
  prefix = '',
  varies = false,
): StatementFields {
  const fields = statement as Record<string, unknown>;
  const stance = requireOneOf<Stance>(fields.stance, STANCES, at(prefix, 'stance'));
  checkStanceValue(stance, fields.value, at(prefix, 'value'));
  const value =
    fields.value === undefined ? undefined : requireValueOfKind(valueKind, fields.value, at(prefix, 'value'));
  return withoutUndefined({
    stance,
    value,
    quote: requireQuote(fields.quote, at(prefix, 'quote')),
    statedAt: requireStatedAt(fields.statedAt, at(prefix, 'statedAt')),
    asOf: fields.asOf === undefined ? undefined : requireAsOf(fields.asOf, varies, at(prefix, 'asOf')),
    via: fields.via === undefined ? undefined : requireVia(fields.via, at(prefix, 'via')),
    attribution: requireOneOf<Attribution>(fields.attribution, ATTRIBUTIONS, at(prefix, 'attribution')),
  });
}
