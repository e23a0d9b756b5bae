/**
 * What a value must be on a claim of a given kind, and what a statement must be on a claim: the
 * value fits the kind and the stance, the moment (`asOf`) only on a varying claim. Checked on
 * runtime values (`unknown`); each failure names the field at fault as a dotted path.
 */
import type { StatementFields } from './claim.events';
import { isRealDate, parseDateString, precisionsSpelled, zoneOf } from './date-span';
import {
  at,
  charCount,
  definedKeys,
  fail,
  isPlainObject,
  requireKnownKeys,
  requireOneOf,
  requireQuote,
  requireStatedAt,
  requireText,
  requireVia,
  TIME_ZONE_CHARS,
  withoutUndefined,
} from './value-rules';
import {
  ATTRIBUTIONS,
  DATE_PRECISIONS,
  LIMITS,
  STANCES,
  VALUE_KINDS,
  type Attribution,
  type ClaimValue,
  type DatePrecision,
  type DateValue,
  type QuantityValue,
  type Stance,
  type StatedAt,
  type ValueKind,
} from './values';

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
  requireKnownKeys(value, ['date', 'precision', 'timeZone'], field, 'VALUE_INVALID');
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
