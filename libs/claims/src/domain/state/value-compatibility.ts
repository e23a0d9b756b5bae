import {
  DATE_PRECISIONS,
  type ClaimValue,
  type DateValue,
  type QuantityValue,
  type ValueKind,
} from '../values';
import { datesOverlap, datesSame } from '../date-span';
import { normalizeText } from './text-normalize';

/**
 * DOMAIN.md rule 4. Two values are *compatible* when they could both be true of the world
 * (275 and "200 to 300"); they are *equal* when they are the same statement of value
 * ("300" and "about 300" are compatible but not equal). Compatibility decides conflicts;
 * equality groups the read model's distinct values.
 *
 * Values come from stored events; the write side checks their shape against the claim's kind,
 * but the read side must never crash on history, so a value that does not fit its kind is
 * compatible with nothing and equal only to a structurally identical value.
 */

/** A closed interval [lo, hi] with lo <= hi. */
type Interval = readonly [number, number];

export function valuesCompatible(kind: ValueKind, a: ClaimValue, b: ClaimValue): boolean {
  switch (kind) {
    case 'boolean':
      return typeof a === 'boolean' && a === b;
    case 'quantity':
      return (
        isQuantityValue(a) && isQuantityValue(b) && intervalsOverlap(quantityInterval(a), quantityInterval(b))
      );
    case 'date':
      return isDateValue(a) && isDateValue(b) && datesOverlap(a, b);
    case 'text':
      return typeof a === 'string' && typeof b === 'string' && normalizeText(a) === normalizeText(b);
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

export function valuesEqual(kind: ValueKind, a: ClaimValue, b: ClaimValue): boolean {
  switch (kind) {
    case 'boolean':
      return typeof a === 'boolean' && a === b;
    case 'quantity':
      return isQuantityValue(a) && isQuantityValue(b) ? quantitiesEqual(a, b) : structurallyEqual(a, b);
    case 'date':
      return isDateValue(a) && isDateValue(b) ? datesSame(a, b) : structurallyEqual(a, b);
    case 'text':
      return typeof a === 'string' && typeof b === 'string' && normalizeText(a) === normalizeText(b);
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

export function isQuantityValue(value: unknown): value is QuantityValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if ('exact' in v) return typeof v.exact === 'number';
  if ('approx' in v) return typeof v.approx === 'number';
  const hasMin = 'min' in v;
  const hasMax = 'max' in v;
  if (!hasMin && !hasMax) return false;
  return (!hasMin || typeof v.min === 'number') && (!hasMax || typeof v.max === 'number');
}

export function isDateValue(value: unknown): value is DateValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.date === 'string' &&
    (DATE_PRECISIONS as readonly unknown[]).includes(v.precision) &&
    (v.timeZone === undefined || typeof v.timeZone === 'string')
  );
}

/**
 * exact n is [n,n]; a range is [min,max]; at least a is [a,∞); at most b is [0,b] (a count is never
 * negative; a negative b, a temperature say, is (-∞,b]); approx n is [0.9n, 1.1n]. Bounds are ordered so a
 * negative approximate value (or a range typed backwards) is still a proper interval, and the
 * factors are applied as n*9/10 and n*11/10 so that "about 100" reaches exactly 110, not
 * 110.00000000000001.
 */
export function quantityInterval(value: QuantityValue): Interval {
  if ('exact' in value) return [value.exact, value.exact];
  if ('approx' in value) return ordered((value.approx * 9) / 10, (value.approx * 11) / 10);
  if (!('max' in value)) return [value.min, Infinity];
  if (!('min' in value)) return [value.max >= 0 ? 0 : -Infinity, value.max];
  return ordered(value.min, value.max);
}

/** Closed intervals: touching at an edge is overlapping ("about 100" and 110 agree). */
function intervalsOverlap([aLo, aHi]: Interval, [bLo, bHi]: Interval): boolean {
  return aLo <= bHi && bLo <= aHi;
}

function ordered(x: number, y: number): Interval {
  return x <= y ? [x, y] : [y, x];
}

/** "About 300" is not the same value as "300", though compatible; a degenerate range is exact. */
function quantitiesEqual(a: QuantityValue, b: QuantityValue): boolean {
  const aApprox = 'approx' in a;
  if (aApprox !== 'approx' in b) return false;
  const [aLo, aHi] = quantityInterval(a);
  const [bLo, bHi] = quantityInterval(b);
  return aLo === bLo && aHi === bHi;
}

/** Key-order-insensitive deep equality for values whose shape does not fit their kind. */
function structurallyEqual(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
