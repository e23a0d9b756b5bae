import { DateTime } from 'luxon';
import type { StatedAt, StatedPrecision } from '../values';
import type { InstantSpan } from '../date-span';
import type { SideMoment } from './claim-sides';
import { compareStatedOrder, type StatedOrdered } from './stated-order';

/**
 * Varying claims (DOMAIN.md rule 4): a figure describes a moment, its `asOf` (defaulting to when
 * it was said). A moment given as an instant and a precision covers the UTC span of that unit
 * (a `day` moment covers the UTC day of its instant); `part-of-day` ("Saturday evening") covers
 * the six hours from the hour of its instant. Luxon does the calendar arithmetic (months differ
 * in length), as it does for date values.
 */

export type MomentOrdered = StatedOrdered & { current: { asOf?: StatedAt } };

/** The moment a statement's figure describes. */
export function momentOf(position: MomentOrdered): StatedAt {
  return position.current.asOf ?? position.current.statedAt;
}

const UNIT: Record<Exclude<StatedPrecision, 'part-of-day'>, 'minute' | 'hour' | 'day' | 'month' | 'year'> = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  month: 'month',
  year: 'year',
};

/** The span a moment covers; undefined when its instant does not parse (history is never refused). */
export function momentSpan(moment: StatedAt): InstantSpan | undefined {
  const at = DateTime.fromISO(moment.at, { zone: 'UTC' });
  if (!at.isValid) return undefined;
  if (moment.precision === 'part-of-day') {
    const start = at.startOf('hour');
    return { start: start.toMillis(), end: start.plus({ hours: 6 }).toMillis() };
  }
  const unit = UNIT[moment.precision];
  const start = at.startOf(unit);
  return { start: start.toMillis(), end: start.plus({ [`${unit}s`]: 1 }).toMillis() };
}

/** Half-open spans overlap; a moment that does not parse overlaps every moment (it cannot be told apart). */
export function momentsOverlap(a: InstantSpan | undefined, b: InstantSpan | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return a.start < b.end && b.start < a.end;
}

export function sameMoment(a: InstantSpan | undefined, b: InstantSpan | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.start === b.start && a.end === b.end;
}

/**
 * The order that decides positions: on a varying claim, the latest figure by the moment it
 * describes, then by stated time (then recorded); on any other claim, stated order alone.
 */
export function positionOrder(varies: boolean | undefined): (a: MomentOrdered, b: MomentOrdered) => number {
  if (varies !== true) return compareStatedOrder;
  return (a, b) => compareMoments(momentOf(a), momentOf(b)) || compareStatedOrder(a, b);
}

function compareMoments(a: StatedAt, b: StatedAt): number {
  const x = Date.parse(a.at);
  const y = Date.parse(b.at);
  if (Number.isNaN(x) || Number.isNaN(y))
    return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? -1 : 1;
  return x - y;
}

export function momentAt(asOf: StatedAt): SideMoment {
  return { asOf, span: momentSpan(asOf) };
}

/**
 * On a varying claim the voices agree on a figure of the latest moment: the positions whose
 * moments overlap the latest one (18 early and 21 later agree on nothing, yet 21 is the figure).
 */
export function atLatestMoment<T extends { position: MomentOrdered; moment?: SideMoment }>(
  asserting: readonly T[],
  order: ReturnType<typeof positionOrder>,
): readonly T[] {
  const latest = [...asserting].sort((x, y) => order(x.position, y.position)).at(-1);
  if (latest?.moment === undefined) return asserting;
  return asserting.filter(
    (p) => p.moment !== undefined && momentsOverlap(p.moment.span, latest.moment?.span),
  );
}

/** The value group of the latest moment (ties: the later group), or null when nothing is affirmed. */
export function latestFigure<T extends { asOf?: StatedAt }>(values: readonly T[]): T | null {
  let latest: T | null = null;
  for (const group of values) {
    if (latest === null || compareMomentStart(group, latest) >= 0) latest = group;
  }
  return latest;
}

function compareMomentStart(a: { asOf?: StatedAt }, b: { asOf?: StatedAt }): number {
  const x = a.asOf === undefined ? undefined : momentSpan(a.asOf)?.start;
  const y = b.asOf === undefined ? undefined : momentSpan(b.asOf)?.start;
  return (x ?? -Infinity) - (y ?? -Infinity);
}
