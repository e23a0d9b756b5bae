import { DateTime } from 'luxon';
import type { StatedAt, StatedPrecision } from '../values';
import type { InstantSpan } from '../date-span';
import { compareStatedOrder, type StatedOrdered } from './statement-record';

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
