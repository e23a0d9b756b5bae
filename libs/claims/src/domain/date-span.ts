import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { DatePrecision, DateValue } from './values';

/**
 * Date and time values as spans (DOMAIN.md rule 4): a date at its precision covers that whole
 * span, read in the time zone it was given in. "Friday 19 October" in New York and "Saturday 20
 * October 03:00" in Amman are the same night, so their spans overlap.
 *
 * Zone rules (offsets, daylight saving) come from Luxon over the runtime's IANA database: time
 * zone arithmetic written by hand is wrong somewhere, and historical offsets change by decree.
 * Pure: no clock is read; the same value gives the same span wherever the code runs (the zone
 * database is the runtime's, so a server should keep its Node/ICU current).
 */

/** The calendar fields a date string spells, coarsest first; absent below its precision. */
export interface DateParts {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
}

/** Half-open [start, end) in epoch milliseconds. */
export interface InstantSpan {
  start: number;
  end: number;
}

const DEPTH: Record<DatePrecision, number> = { year: 1, month: 2, day: 3, hour: 4, minute: 5 };

export function precisionDepth(precision: DatePrecision): number {
  return DEPTH[precision];
}

export function coarserPrecision(a: DatePrecision, b: DatePrecision): DatePrecision {
  return DEPTH[a] <= DEPTH[b] ? a : b;
}

/** `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh`, `YYYY-MM-DDThh:mm`. */
const DATE_STRING = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2}))?)?)?)?$/;

/** The fields of a date string, or undefined when it is not one of the five shapes. */
export function parseDateString(date: string): DateParts | undefined {
  const match = DATE_STRING.exec(date);
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match;
  const num = (part: string | undefined): number | undefined =>
    part === undefined ? undefined : Number(part);
  return {
    year: Number(year),
    month: num(month),
    day: num(day),
    hour: num(hour),
    minute: num(minute),
  };
}

/**
 * The precision a date string spells: `2017` a year … `2018-10-20T03:00` a minute. An hour may
 * also be written `T03:00` (":00" adds no claim), so for those both `hour` and `minute` fit.
 */
export function precisionsSpelled(parts: DateParts): readonly DatePrecision[] {
  if (parts.minute !== undefined) return parts.minute === 0 ? ['minute', 'hour'] : ['minute'];
  if (parts.hour !== undefined) return ['hour'];
  if (parts.day !== undefined) return ['day'];
  return parts.month !== undefined ? ['month'] : ['year'];
}

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** A UTC offset (`+03:00`, `-04:00`, up to ±14:00) or an IANA zone name the runtime knows. */
export function zoneOf(timeZone: string): Zone | undefined {
  const offset = OFFSET.exec(timeZone);
  if (offset) {
    const [, sign, hh, mm] = offset as unknown as [string, string, string, string];
    const minutes = Number(hh) * 60 + Number(mm);
    if (Number(mm) > 59 || minutes > 14 * 60) return undefined;
    return FixedOffsetZone.instance(sign === '-' ? -minutes : minutes);
  }
  // Luxon accepts some non-names ("utc+3") as zones; an IANA name always has a letter first.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone) || !IANAZone.isValidZone(timeZone)) return undefined;
  return IANAZone.create(timeZone);
}

/** Whether the parts name a real calendar date and wall-clock time (no 30 February, no 24:00). */
export function isRealDate(parts: DateParts): boolean {
  // Luxon reads 24:00 as the next midnight; a source's "24:00" is ambiguous, so it is refused.
  if ((parts.hour ?? 0) > 23 || (parts.minute ?? 0) > 59) return false;
  const probe = DateTime.fromObject(
    {
      year: parts.year,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      hour: parts.hour ?? 0,
      minute: parts.minute ?? 0,
    },
    { zone: 'UTC' },
  );
  return probe.isValid;
}

/**
 * The instants a zoned date covers, or undefined when it has no zone or does not parse. A wall
 * time skipped by a daylight-saving change starts at the first instant after the gap (Luxon's
 * rule), so every valid value has a non-empty span.
 */
export function instantSpan(value: DateValue): InstantSpan | undefined {
  if (value.timeZone === undefined) return undefined;
  const zone = zoneOf(value.timeZone);
  const parts = parseDateString(value.date);
  if (zone === undefined || parts === undefined) return undefined;
  const start = DateTime.fromObject(
    {
      year: parts.year,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      hour: parts.hour ?? 0,
      minute: parts.minute ?? 0,
    },
    { zone },
  ).startOf(value.precision);
  if (!start.isValid) return undefined;
  const end = start.plus({ [`${value.precision}s`]: 1 });
  return { start: start.toMillis(), end: end.toMillis() };
}

/** The fields down to `precision`, so that two calendar dates compare at their coarser precision. */
export function partsAt(parts: DateParts, precision: DatePrecision): (number | undefined)[] {
  return [parts.year, parts.month, parts.day, parts.hour, parts.minute].slice(0, DEPTH[precision]);
}

/**
 * Compatible when the spans overlap. Both zoned: instants. Otherwise the dates are read as
 * calendar dates (wall clock as given, each in its own zone) and compared at the coarser
 * precision: without a zone there is no instant to compare, and a calendar date stays a
 * calendar date (decision 0019).
 */
export function datesOverlap(a: DateValue, b: DateValue): boolean {
  const aSpan = instantSpan(a);
  const bSpan = instantSpan(b);
  if (aSpan !== undefined && bSpan !== undefined) {
    return aSpan.start < bSpan.end && bSpan.start < aSpan.end;
  }
  return calendarAgree(a, b, coarserPrecision(a.precision, b.precision));
}

/** The same stated date: same precision, and the same span (zoned) or the same calendar fields and zone. */
export function datesSame(a: DateValue, b: DateValue): boolean {
  if (a.precision !== b.precision) return false;
  const aSpan = instantSpan(a);
  const bSpan = instantSpan(b);
  if (aSpan !== undefined && bSpan !== undefined)
    return aSpan.start === bSpan.start && aSpan.end === bSpan.end;
  return a.timeZone === b.timeZone && calendarAgree(a, b, a.precision);
}

function calendarAgree(a: DateValue, b: DateValue, precision: DatePrecision): boolean {
  const aParts = parseDateString(a.date);
  const bParts = parseDateString(b.date);
  if (aParts === undefined || bParts === undefined) return false;
  const aFields = partsAt(aParts, precision);
  const bFields = partsAt(bParts, precision);
  // A field missing below the stated precision agrees with nothing (a malformed stored value).
  return aFields.every((field, i) => field !== undefined && field === bFields[i]);
}
