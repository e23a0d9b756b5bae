import type { ClaimValue, DateValue, QuantityValue } from '../values';
import { quantityInterval, valuesCompatible, valuesEqual } from './value-compatibility';

const exact = (n: number): QuantityValue => ({ exact: n });
const range = (min: number, max: number): QuantityValue => ({ min, max });
const approx = (n: number): QuantityValue => ({ approx: n });
const day = (date: string): DateValue => ({ date, precision: 'day' });
const month = (date: string): DateValue => ({ date, precision: 'month' });
const year = (date: string): DateValue => ({ date, precision: 'year' });

describe('valuesCompatible', () => {
  describe('boolean', () => {
    it('is compatible only when equal', () => {
      expect(valuesCompatible('boolean', true, true)).toBe(true);
      expect(valuesCompatible('boolean', false, false)).toBe(true);
      expect(valuesCompatible('boolean', true, false)).toBe(false);
    });
  });

  describe('quantity', () => {
    it.each<[string, QuantityValue, QuantityValue, boolean]>([
      ['equal exacts', exact(275), exact(275), true],
      ['different exacts', exact(275), exact(276), false],
      ['exact inside a range', exact(275), range(200, 300), true],
      ['exact on the range edge', exact(300), range(200, 300), true],
      ['exact outside a range', exact(301), range(200, 300), false],
      ['overlapping ranges', range(200, 300), range(300, 400), true],
      ['disjoint ranges', range(200, 299), range(300, 400), false],
      ['a range typed backwards', exact(250), range(300, 200), true],
      ['approx 100 and 110 (upper edge)', approx(100), exact(110), true],
      ['approx 100 and 90 (lower edge)', approx(100), exact(90), true],
      ['approx 100 and 110.5 (past the upper edge)', approx(100), exact(110.5), false],
      ['approx 100 and 89.9 (past the lower edge)', approx(100), exact(89.9), false],
      ['approx 100 and approx 122 ([90,110] vs [109.8,134.2])', approx(100), approx(122), true],
      ['approx 100 and approx 123 ([90,110] vs [110.7,135.3])', approx(100), approx(123), false],
      ['approx 3000 and 3300', approx(3000), exact(3300), true],
      ['approx 3000 and 3301', approx(3000), exact(3301), false],
      ['negative approx: bounds ordered', approx(-100), exact(-95), true],
      ['negative approx, outside', approx(-100), exact(-80), false],
      ['approx 0 is exactly 0', approx(0), exact(0), true],
      ['at least 15 and 16', { min: 15 }, exact(16), true],
      ['at least 15 and 15 (edge)', { min: 15 }, exact(15), true],
      ['at least 15 and 14', { min: 15 }, exact(14), false],
      ['at least 15 and a million', { min: 15 }, exact(1_000_000), true],
      ['at most 10 and 0', { max: 10 }, exact(0), true],
      ['at most 10 and 11', { max: 10 }, exact(11), false],
      ['at least 15 and at most 20', { min: 15 }, { max: 20 }, true],
      ['at least 15 and at most 10', { min: 15 }, { max: 10 }, false],
      ['at least 15 and about 14 ([12.6, 15.4])', { min: 15 }, approx(14), true],
      ['at most -5 (a temperature) and -10', { max: -5 }, exact(-10), true],
    ])('%s', (_name, a, b, expected) => {
      expect(valuesCompatible('quantity', a, b)).toBe(expected);
      expect(valuesCompatible('quantity', b, a)).toBe(expected);
    });

    it('computes approximate bounds without floating-point drift', () => {
      expect(quantityInterval(approx(100))).toEqual([90, 110]);
      expect(quantityInterval(approx(-100))).toEqual([-110, -90]);
    });
  });

  describe('date', () => {
    it.each<[string, DateValue, DateValue, boolean]>([
      ['month and a day in it', month('2017-10'), day('2017-10-12'), true],
      ['two different days', day('2017-10-12'), day('2017-10-13'), false],
      ['the same day', day('2017-10-12'), day('2017-10-12'), true],
      ['a year and a day in it', year('2017'), day('2017-10-12'), true],
      ['a month and a day in another month', month('2017-09'), day('2017-10-12'), false],
      ['different years', year('2016'), month('2017-10'), false],
      [
        'a New York day and an Amman hour of the same night',
        { date: '2018-10-19', precision: 'day', timeZone: 'America/New_York' },
        { date: '2018-10-20T03', precision: 'hour', timeZone: 'Asia/Amman' },
        true,
      ],
      [
        'a minute within a calendar day',
        { date: '2018-10-02T13:14', precision: 'minute' },
        day('2018-10-02'),
        true,
      ],
      [
        'a minute on another calendar day',
        { date: '2018-10-03T13:14', precision: 'minute' },
        day('2018-10-02'),
        false,
      ],
    ])('%s', (_name, a, b, expected) => {
      expect(valuesCompatible('date', a, b)).toBe(expected);
      expect(valuesCompatible('date', b, a)).toBe(expected);
    });
  });

  describe('text', () => {
    it('compares after normalization, Arabic diacritics, tatweel and alef forms included', () => {
      expect(valuesCompatible('text', 'مستشفى الرَّقَّة الوطني', 'مستشفى الرقــة الوطني')).toBe(true);
      expect(valuesCompatible('text', 'أمريكا', 'امريكا')).toBe(true);
      expect(valuesCompatible('text', 'Raqqa National Hospital', 'raqqa national hospital')).toBe(true);
      expect(valuesCompatible('text', 'الرقة', 'الطبقة')).toBe(false);
    });
  });

  it('never treats a value that does not fit its kind as compatible', () => {
    expect(valuesCompatible('quantity', '275', exact(275))).toBe(false);
    expect(valuesCompatible('date', '2017-10-12', day('2017-10-12'))).toBe(false);
    expect(valuesCompatible('boolean', 'true', true)).toBe(false);
    expect(valuesCompatible('text', true, true)).toBe(false);
  });
});

describe('valuesEqual', () => {
  it('keeps "about 300" apart from "300", though they are compatible', () => {
    expect(valuesEqual('quantity', approx(300), exact(300))).toBe(false);
    expect(valuesCompatible('quantity', approx(300), exact(300))).toBe(true);
  });

  it('treats the same interval as the same value', () => {
    expect(valuesEqual('quantity', exact(300), exact(300))).toBe(true);
    expect(valuesEqual('quantity', range(300, 200), range(200, 300))).toBe(true);
    expect(valuesEqual('quantity', range(5, 5), exact(5))).toBe(true);
    expect(valuesEqual('quantity', approx(300), approx(300))).toBe(true);
    expect(valuesEqual('quantity', range(200, 300), range(200, 301))).toBe(false);
  });

  it('keeps dates of different precision apart', () => {
    expect(valuesEqual('date', month('2017-10'), day('2017-10-12'))).toBe(false);
    expect(valuesEqual('date', day('2017-10-12'), day('2017-10-12'))).toBe(true);
    expect(valuesEqual('date', day('2017-10-12'), day('2017-10-13'))).toBe(false);
  });

  it('groups texts that are the same after normalization', () => {
    expect(valuesEqual('text', 'إدلب', 'ادلب')).toBe(true);
    expect(valuesEqual('text', 'Idlib', 'Raqqa')).toBe(false);
  });

  it('groups booleans by value', () => {
    expect(valuesEqual('boolean', false, false)).toBe(true);
    expect(valuesEqual('boolean', true, false)).toBe(false);
  });

  it('falls back to structural equality for values that do not fit their kind', () => {
    expect(
      valuesEqual('quantity', { n: 1 } as unknown as ClaimValue, { n: 1 } as unknown as ClaimValue),
    ).toBe(true);
    expect(valuesEqual('date', 'x', 'y')).toBe(false);
  });
});
