import type { StatementFields } from '../claim.events';
import { comparePositions } from './position';

/** What decides a source's position (DOMAIN.md rule 1): the current stated time, then the report. */
export type StatedOrdered = { current: Pick<StatementFields, 'statedAt'>; reportedPosition: string };

/**
 * DOMAIN.md rules 1 and 2 share one order: stated time compared as given (as instants, whatever
 * the precision), ties to the later recorded. An unparseable time sorts first, so it never
 * silently supersedes a statement whose time is known.
 */
export function compareStatedOrder(a: StatedOrdered, b: StatedOrdered): number {
  return (
    compareInstants(a.current.statedAt.at, b.current.statedAt.at) ||
    comparePositions(a.reportedPosition, b.reportedPosition)
  );
}

function compareInstants(a: string, b: string): number {
  // The same text is the same instant (or the same unparseable text): most comparisons on a busy
  // claim, whose voices speak at the same stated times, without a look-up each.
  if (a === b) return 0;
  const x = instantOf(a);
  const y = instantOf(b);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (!Number.isNaN(x)) return 1;
    if (!Number.isNaN(y)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return x - y;
}

/**
 * Stated times already parsed. A claim's status sorts its voices' positions at every render, and
 * a timeline read at every entry (decision 0036), over a few hundred distinct texts; `Date.parse`
 * was a quarter of a whole timeline's CPU, a look-up here costs a tenth of one. A pure function's
 * memo: the same text always gives the same instant. Bounded, emptied when full.
 */
const INSTANTS = new Map<string, number>();
const MAX_INSTANTS = 4_096;

function instantOf(text: string): number {
  let instant = INSTANTS.get(text);
  if (instant === undefined) {
    if (INSTANTS.size >= MAX_INSTANTS) INSTANTS.clear();
    instant = Date.parse(text);
    INSTANTS.set(text, instant);
  }
  return instant;
}
