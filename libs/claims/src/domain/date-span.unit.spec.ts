import { datesOverlap, datesSame, instantSpan } from './date-span';
import type { DateValue } from './values';

const at = (date: string, precision: DateValue['precision'], timeZone?: string): DateValue =>
  timeZone === undefined ? { date, precision } : { date, precision, timeZone };

describe('date spans', () => {
  describe('given a date in a time zone, when its span is computed', () => {
    it('then a day covers that calendar day in the zone, daylight saving included', () => {
      // New York is on EDT (-04:00) on 19 October 2018.
      expect(instantSpan(at('2018-10-19', 'day', 'America/New_York'))).toEqual({
        start: Date.parse('2018-10-19T04:00:00Z'),
        end: Date.parse('2018-10-20T04:00:00Z'),
      });
    });

    it('then a day on which the clocks change is 25 hours long', () => {
      const span = instantSpan(at('2018-11-04', 'day', 'America/New_York'))!;
      expect((span.end - span.start) / 3_600_000).toBe(25);
    });

    it('then an hour and a minute are read in the zone or offset given', () => {
      expect(instantSpan(at('2018-10-20T03', 'hour', 'Asia/Amman'))).toEqual({
        start: Date.parse('2018-10-20T00:00:00Z'),
        end: Date.parse('2018-10-20T01:00:00Z'),
      });
      expect(instantSpan(at('2018-10-02T13:14', 'minute', '+03:00'))).toEqual({
        start: Date.parse('2018-10-02T10:14:00Z'),
        end: Date.parse('2018-10-02T10:15:00Z'),
      });
    });

    it('then a calendar date without a zone has no instant span', () => {
      expect(instantSpan(at('2018-10-19', 'day'))).toBeUndefined();
    });
  });

  describe('given two dates, when compared', () => {
    it.each<[string, DateValue, DateValue, boolean]>([
      [
        'Friday 19 October in New York and Saturday 20 October 03:00 in Amman (the same night)',
        at('2018-10-19', 'day', 'America/New_York'),
        at('2018-10-20T03:00', 'minute', 'Asia/Amman'),
        true,
      ],
      [
        'the same, Amman at hour precision',
        at('2018-10-19', 'day', 'America/New_York'),
        at('2018-10-20T03', 'hour', 'Asia/Amman'),
        true,
      ],
      [
        'Friday 19 October in New York and Saturday 20 October 12:00 in Amman (after New York midnight)',
        at('2018-10-19', 'day', 'America/New_York'),
        at('2018-10-20T12:00', 'minute', 'Asia/Amman'),
        false,
      ],
      [
        'the midnight-straddling day as two calendar dates: different days',
        at('2018-10-19', 'day', 'America/New_York'),
        at('2018-10-20', 'day', 'Asia/Amman'),
        true,
      ],
      [
        'two calendar days without zones compare as calendar dates',
        at('2018-10-19', 'day'),
        at('2018-10-20', 'day'),
        false,
      ],
      ['a calendar day within a calendar month', at('2018-10-19', 'day'), at('2018-10', 'month'), true],
      [
        'a zoned minute and a calendar day: compared as calendar dates',
        at('2018-10-02T13:14', 'minute', 'Europe/Istanbul'),
        at('2018-10-02', 'day'),
        true,
      ],
      [
        'a CCTV minute and the same instant given as an offset',
        at('2018-10-02T13:14', 'minute', 'Europe/Istanbul'),
        at('2018-10-02T10:14', 'minute', '+00:00'),
        true,
      ],
      [
        'adjacent minutes do not overlap (spans are half-open)',
        at('2018-10-02T13:14', 'minute', '+03:00'),
        at('2018-10-02T13:15', 'minute', '+03:00'),
        false,
      ],
    ])('%s: overlapping is %s', (_label, a, b, expected) => {
      expect(datesOverlap(a, b)).toBe(expected);
      expect(datesOverlap(b, a)).toBe(expected);
    });

    it('then the same instant span at the same precision is the same date, however it is written', () => {
      expect(
        datesSame(at('2018-10-20T03', 'hour', 'Asia/Amman'), at('2018-10-20T00:00', 'hour', '+00:00')),
      ).toBe(true);
      expect(datesSame(at('2018-10-20T03', 'hour', 'Asia/Amman'), at('2018-10-20T03', 'hour'))).toBe(false);
      expect(datesSame(at('2018-10-20', 'day'), at('2018-10-20', 'day'))).toBe(true);
    });
  });
});
