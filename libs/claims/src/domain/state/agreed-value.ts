import type { ClaimStatus, ClaimValue, ValueKind } from '../values';
import { type Assertion, assertedValue } from './assertion';
import { precisionDepth } from '../date-span';
import { isDateValue, isQuantityValue, quantityInterval } from './value-compatibility';

/**
 * DOMAIN.md rule 7: when the voices agree (`single-source` or `corroborated`), what they agree on —
 * the common boolean, the intersection of the quantity intervals, the finest common date span, the
 * common text — so "corroborated that he did not" reads apart from "corroborated that he did".
 * Null when they do not agree, when only denials assert (nothing affirmed to agree on), or when a
 * value does not fit the claim's kind.
 */
export function agreedValueOf(
  kind: ValueKind,
  status: ClaimStatus,
  assertions: readonly Assertion[],
): ClaimValue | null {
  if (status !== 'single-source' && status !== 'corroborated') return null;
  const values = assertions.map(assertedValue).filter((v): v is ClaimValue => v !== undefined);
  const [first] = values;
  if (first === undefined) return null;
  switch (kind) {
    case 'boolean':
    case 'text':
      // No conflict means every affirmed value is compatible with the first: equal booleans,
      // texts equal once normalized. The first voice's wording is shown, as `values` does.
      return first;
    case 'quantity':
      return intersection(values);
    case 'date':
      return finest(values);
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

/**
 * The intersection, in the shape a reader expects: "at least 15" and "at least 16" agree on "at
 * least 16", not on [16, ∞); "at most 10" alone stays "at most 10", not [0, 10].
 */
function intersection(values: readonly ClaimValue[]): ClaimValue | null {
  let lo = -Infinity;
  let hi = Infinity;
  // A lower bound someone stated: the 0 of "at most b" is implied, not stated.
  let statedLo = -Infinity;
  for (const value of values) {
    if (!isQuantityValue(value)) return null;
    const [min, max] = quantityInterval(value);
    lo = Math.max(lo, min);
    hi = Math.min(hi, max);
    if (!('max' in value && !('min' in value))) statedLo = Math.max(statedLo, min);
  }
  if (lo > hi) return null;
  if (lo === hi) return { exact: lo };
  if (hi === Infinity) return { min: lo };
  if (statedLo < lo || lo === -Infinity) return { max: hi };
  return { min: lo, max: hi };
}

/**
 * The finest of compatible date spans: calendar spans nest (a day within a month within a year);
 * zoned spans of different zones may only overlap, and then the finest stated is shown.
 */
function finest(values: readonly ClaimValue[]): ClaimValue | null {
  let best: ClaimValue | undefined;
  for (const value of values) {
    if (!isDateValue(value)) return null;
    if (
      best === undefined ||
      (isDateValue(best) && precisionDepth(value.precision) > precisionDepth(best.precision))
    )
      best = value;
  }
  return best ?? null;
}
