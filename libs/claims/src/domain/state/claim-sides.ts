import type { InstantSpan } from '../date-span';
import type { ClaimValue, Stance, StatedAt, ValueKind } from '../values';
import { momentsOverlap, sameMoment } from './moment';
import { type Assertion, type ConflictReason, conflictBetween } from './assertion';
import { valuesCompatible, valuesEqual } from './value-compatibility';

/**
 * DOMAIN.md: each conflict is shown as the two *sides* that conflict — two incompatible value
 * groups, or those affirming against those denying the proposition — so ten voices saying yes
 * against ten saying no is one conflict, and the view grows with voices and distinct values,
 * never with pairs of voices.
 *
 * A side gathers the voices whose positions assert the same thing: the same type of assertion
 * and equal values (valuesEqual). Equal values have the same interval, span or normal form, so
 * every member of a side is compatible with any third value exactly when the others are: a pair
 * of sides conflicts exactly when any (hence every) pair of their voices does, and a voice never
 * conflicts with its own side. A value that is not even compatible with itself (history that does
 * not fit its claim's kind) stands alone, so it still conflicts as the pairwise rule says.
 */

export interface SideVoice {
  voice: string;
  voiceName: string;
  sourceId: string;
  statementId: string;
  /** The voice's own stance: on a boolean claim "denies" and "affirms false" stand together. */
  stance: Stance;
}

export interface ConflictSide {
  /** What the side asserts: `affirms` a value, or `denies` a value or the proposition as a whole. */
  stance: 'affirms' | 'denies';
  value?: ClaimValue;
  /** On a varying claim, the moment the side's figure describes. */
  asOf?: StatedAt;
  /** In voice order (stated order of their positions). */
  voices: SideVoice[];
}

export interface ConflictView {
  /** The side whose first voice stated its position first. */
  a: ConflictSide;
  b: ConflictSide;
  reason: ConflictReason;
}

/**
 * On a varying claim, the moment a position's figure describes: sides then gather equal figures of
 * the same moment, and two sides conflict only when their moments overlap (DOMAIN.md rule 4).
 */
export interface SideMoment {
  asOf: StatedAt;
  span: InstantSpan | undefined;
}

/** A voice's position as the sides see it. */
export interface SideMember {
  assertion: Assertion;
  voice: SideVoice;
  moment?: SideMoment;
}

interface Side {
  assertion: Assertion;
  members: SideVoice[];
  moment?: SideMoment;
}

/** Sides in order of their first voice; voices that assert nothing stand on no side. */
export function sidesOf(kind: ValueKind, members: readonly SideMember[]): Side[] {
  const sides: Side[] = [];
  for (const { assertion, voice, moment } of members) {
    if (assertion.type === 'none') continue;
    const side = sides.find(
      (s) => sameSide(kind, s.assertion, assertion) && sameMoment(s.moment?.span, moment?.span),
    );
    if (side === undefined)
      sides.push({ assertion, members: [voice], ...(moment !== undefined && { moment }) });
    else side.members.push(voice);
  }
  return sides;
}

/** One conflict per pair of incompatible sides, in side order. */
export function conflictsBetween(kind: ValueKind, sides: readonly Side[]): ConflictView[] {
  const conflicts: ConflictView[] = [];
  sides.forEach((a, i) => {
    for (const b of sides.slice(i + 1)) {
      // Figures of moments that do not overlap describe different states of the world.
      if (a.moment !== undefined && b.moment !== undefined && !momentsOverlap(a.moment.span, b.moment.span))
        continue;
      const reason = conflictBetween(kind, a.assertion, b.assertion);
      if (reason !== undefined) conflicts.push({ a: sideView(a), b: sideView(b), reason });
    }
  });
  return conflicts;
}

function sameSide(kind: ValueKind, x: Assertion, y: Assertion): boolean {
  if (x.type !== y.type) return false;
  const a = 'value' in x ? x.value : undefined;
  const b = 'value' in y ? y.value : undefined;
  if (a === undefined || b === undefined) return a === b;
  return valuesEqual(kind, a, b) && valuesCompatible(kind, a, a);
}

function sideView({ assertion, members, moment }: Side): ConflictSide {
  const value = 'value' in assertion ? assertion.value : undefined;
  return {
    stance: assertion.type === 'affirms' ? 'affirms' : 'denies',
    ...(value !== undefined && { value }),
    ...(moment !== undefined && { asOf: moment.asOf }),
    voices: members.map((voice) => ({ ...voice })),
  };
}
