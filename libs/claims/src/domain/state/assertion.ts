import type { ClaimValue, Stance, ValueKind } from '../values';
import { valuesCompatible } from './value-compatibility';

/**
 * DOMAIN.md rule 3, as one normal form so that the conflict rules (rule 4) read directly:
 * - `affirms`: asserts a value (on a non-boolean claim a malformed affirmation may carry none);
 * - on a boolean claim `denies` is affirming `false` (or `!v` when it carries `v`);
 * - on another kind `denies` with a value is "not that value", without one it denies the
 *   proposition as a whole;
 * - `uncertain` and `declined` assert nothing.
 */
export type Assertion =
  | { type: 'affirms'; value?: ClaimValue }
  | { type: 'denies-value'; value: ClaimValue }
  | { type: 'denies-proposition' }
  | { type: 'none' };

export const CONFLICT_REASONS = [
  'incompatible-values',
  'denies-proposition',
  'denies-compatible-value',
] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

/** Asserting = `affirms` or `denies` (DOMAIN.md rule 5). */
export function isAsserting(stance: Stance): boolean {
  switch (stance) {
    case 'affirms':
    case 'denies':
      return true;
    case 'uncertain':
    case 'declined':
      return false;
    default: {
      const _exhaustive: never = stance;
      return _exhaustive;
    }
  }
}

export function assertionOf(kind: ValueKind, stance: Stance, value: ClaimValue | undefined): Assertion {
  switch (stance) {
    case 'affirms':
      return affirmation(kind, value);
    case 'denies':
      return denial(kind, value);
    case 'uncertain':
    case 'declined':
      return { type: 'none' };
    default: {
      const _exhaustive: never = stance;
      return _exhaustive;
    }
  }
}

/** The value a voice stands behind, for the read model's `values`; undefined when none. */
export function assertedValue(assertion: Assertion): ClaimValue | undefined {
  return assertion.type === 'affirms' ? assertion.value : undefined;
}

/**
 * Why two voices' positions conflict, or undefined when they do not. Symmetric in its
 * arguments; two denials never conflict (both say "not so", whatever else they leave open).
 */
export function conflictBetween(kind: ValueKind, a: Assertion, b: Assertion): ConflictReason | undefined {
  return oneWay(kind, a, b) ?? oneWay(kind, b, a);
}

function oneWay(kind: ValueKind, a: Assertion, b: Assertion): ConflictReason | undefined {
  if (a.type !== 'affirms') return undefined;
  switch (b.type) {
    case 'affirms':
      return a.value !== undefined && b.value !== undefined && !valuesCompatible(kind, a.value, b.value)
        ? 'incompatible-values'
        : undefined;
    case 'denies-proposition':
      return 'denies-proposition';
    case 'denies-value':
      return a.value !== undefined && valuesCompatible(kind, a.value, b.value)
        ? 'denies-compatible-value'
        : undefined;
    case 'none':
      return undefined;
    default: {
      const _exhaustive: never = b;
      return _exhaustive;
    }
  }
}

/** On a boolean claim an affirmation without a value affirms the proposition itself: `true`. */
function affirmation(kind: ValueKind, value: ClaimValue | undefined): Assertion {
  if (kind === 'boolean') return { type: 'affirms', value: value ?? true };
  return value === undefined ? { type: 'affirms' } : { type: 'affirms', value };
}

function denial(kind: ValueKind, value: ClaimValue | undefined): Assertion {
  if (kind === 'boolean') return { type: 'affirms', value: negated(value) };
  return value === undefined ? { type: 'denies-proposition' } : { type: 'denies-value', value };
}

/** Denying `v` affirms `!v`; a non-boolean value on a boolean claim is kept as stated. */
function negated(value: ClaimValue | undefined): ClaimValue {
  if (value === undefined) return false;
  return typeof value === 'boolean' ? !value : value;
}
