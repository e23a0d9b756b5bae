import { DomainError, type DomainErrorCode } from './domain-error';
import { LIMITS, type ValueKind } from './values';
import {
  applyPatch,
  charCount,
  isSameJson,
  isUtcInstant,
  requireLanguageTag,
  requireQuote,
  requireStatedAt,
  requireText,
  requireUrl,
  requireVia,
  withoutUndefined,
} from './value-rules';
import {
  checkStanceValue,
  checkUnit,
  requireDateValue,
  requireStatementFields,
  requireValueOfKind,
} from './statement-rules';

/** The DomainError `run` throws, as `{ code, field }`, or undefined when it does not throw. */
function failure(run: () => unknown): { code: DomainErrorCode; field: string | undefined } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field };
    throw error;
  }
  return undefined;
}

describe('value rules', () => {
  describe('values by claim kind', () => {
    describe('boolean', () => {
      it.each([true, false])('accepts %s', (value) => {
        expect(requireValueOfKind('boolean', value)).toBe(value);
      });

      it.each<[string, unknown]>([
        ['a number', 1],
        ['a string', 'true'],
        ['a quantity', { exact: 1 }],
        ['a date', { date: '2017', precision: 'year' }],
      ])('refuses %s as a kind mismatch', (_label, value) => {
        expect(failure(() => requireValueOfKind('boolean', value))).toEqual({
          code: 'VALUE_KIND_MISMATCH',
          field: 'value',
        });
      });

      it.each<[string, unknown]>([
        ['null', null],
        ['an array', [true]],
        ['an empty object', {}],
      ])('refuses %s as invalid', (_label, value) => {
        expect(failure(() => requireValueOfKind('boolean', value))?.code).toBe('VALUE_INVALID');
      });
    });

    describe('quantity', () => {
      it.each([
        { exact: 275 },
        { exact: 0 },
        { exact: -3.5 },
        { min: 200, max: 300 },
        { min: 5, max: 5 },
        { min: 15 },
        { max: 40 },
        { approx: 3000 },
      ])('accepts %j', (value) => {
        expect(requireValueOfKind('quantity', value)).toEqual(value);
      });

      it('drops undefined keys of a well-formed value', () => {
        expect(requireValueOfKind('quantity', { exact: 3, approx: undefined })).toStrictEqual({ exact: 3 });
      });

      it.each<[string, unknown]>([
        ['a string', '275'],
        ['a boolean', true],
        ['a date', { date: '2017-10-12', precision: 'day' }],
      ])('refuses %s as a kind mismatch', (_label, value) => {
        expect(failure(() => requireValueOfKind('quantity', value))?.code).toBe('VALUE_KIND_MISMATCH');
      });

      it.each<[string, unknown, string]>([
        ['a bare number', 275, 'value'],
        ['min above max', { min: 300, max: 200 }, 'value'],
        ['NaN exact', { exact: NaN }, 'value.exact'],
        ['Infinity approx', { approx: Infinity }, 'value.approx'],
        ['-Infinity min', { min: -Infinity, max: 1 }, 'value.min'],
        ['NaN max', { min: 1, max: NaN }, 'value.max'],
        ['a numeric string', { exact: '275' }, 'value.exact'],
        ['two forms at once', { exact: 275, approx: 275 }, 'value'],
        ['a range with only an unknown bound', { least: 1 }, 'value'],
        ['an open bound that is not a number', { min: '15' }, 'value.min'],
        ['an infinite open bound', { max: Infinity }, 'value.max'],
        ['an unknown key', { exact: 1, unit: 'people' }, 'value'],
      ])('refuses %s', (_label, value, field) => {
        expect(failure(() => requireValueOfKind('quantity', value))).toEqual({
          code: 'VALUE_INVALID',
          field,
        });
      });
    });

    describe('date', () => {
      it.each([
        { date: '2017-10-12', precision: 'day' },
        { date: '2017-10', precision: 'month' },
        { date: '2017', precision: 'year' },
        { date: '2016-02-29', precision: 'day' },
        { date: '2000-02-29', precision: 'day' },
        { date: '2018-10-02T13:14', precision: 'minute', timeZone: 'Europe/Istanbul' },
        { date: '2018-10-20T03', precision: 'hour', timeZone: 'Asia/Amman' },
        { date: '2018-10-20T03:00', precision: 'hour', timeZone: '+03:00' },
        { date: '2018-10-20T03:00', precision: 'minute', timeZone: '-04:00' },
        { date: '2018-10-19', precision: 'day', timeZone: 'America/New_York' },
        { date: '2018-10-02T13:14', precision: 'minute' },
      ])('accepts %j', (value) => {
        expect(requireValueOfKind('date', value)).toEqual(value);
      });

      it('refuses a string as a kind mismatch', () => {
        expect(failure(() => requireValueOfKind('date', '2017-10-12'))?.code).toBe('VALUE_KIND_MISMATCH');
      });

      it.each<[string, unknown, string]>([
        ['finer than its precision (day as month)', { date: '2017-10-12', precision: 'month' }, 'value.date'],
        ['finer than its precision (month as year)', { date: '2017-10', precision: 'year' }, 'value.date'],
        ['coarser than its precision', { date: '2017', precision: 'day' }, 'value.date'],
        ['30 February', { date: '2017-02-30', precision: 'day' }, 'value.date'],
        ['29 February of a common year', { date: '2017-02-29', precision: 'day' }, 'value.date'],
        ['29 February 1900', { date: '1900-02-29', precision: 'day' }, 'value.date'],
        ['31 April', { date: '2017-04-31', precision: 'day' }, 'value.date'],
        ['month 13', { date: '2017-13', precision: 'month' }, 'value.date'],
        ['month 00', { date: '2017-00', precision: 'month' }, 'value.date'],
        ['day 00', { date: '2017-10-00', precision: 'day' }, 'value.date'],
        ['an instant', { date: '2017-10-12T00:00:00Z', precision: 'day' }, 'value.date'],
        ['a short year', { date: '17-10-12', precision: 'day' }, 'value.date'],
        ['a number', { date: 2017, precision: 'year' }, 'value.date'],
        ['an unknown precision', { date: '2017-10-12', precision: 'second' }, 'value.precision'],
        ['a day spelled as an hour', { date: '2017-10-12', precision: 'hour' }, 'value.date'],
        ['minutes spelled as an hour', { date: '2018-10-02T13:14', precision: 'hour' }, 'value.date'],
        ['an hour spelled as minutes', { date: '2018-10-02T13', precision: 'minute' }, 'value.date'],
        ['hour 24', { date: '2018-10-02T24:00', precision: 'minute' }, 'value.date'],
        ['minute 60', { date: '2018-10-02T13:60', precision: 'minute' }, 'value.date'],
        ['seconds', { date: '2018-10-02T13:14:05', precision: 'minute' }, 'value.date'],
        [
          'an unknown time zone',
          { date: '2018-10-02', precision: 'day', timeZone: 'Mars/Olympus' },
          'value.timeZone',
        ],
        [
          'an offset past ±14:00',
          { date: '2018-10-02', precision: 'day', timeZone: '+15:00' },
          'value.timeZone',
        ],
        [
          'an offset without a colon',
          { date: '2018-10-02', precision: 'day', timeZone: '+0300' },
          'value.timeZone',
        ],
        [
          'a time zone that is not a string',
          { date: '2018-10-02', precision: 'day', timeZone: 3 },
          'value.timeZone',
        ],
        ['no precision', { date: '2017-10-12' }, 'value.precision'],
        ['an unknown key', { date: '2017', precision: 'year', calendar: 'julian' }, 'value.calendar'],
      ])('refuses %s', (_label, value, field) => {
        expect(failure(() => requireValueOfKind('date', value))).toEqual({ code: 'VALUE_INVALID', field });
      });

      it('checks dates directly too', () => {
        expect(requireDateValue({ date: '2017-10', precision: 'month' })).toEqual({
          date: '2017-10',
          precision: 'month',
        });
      });
    });

    describe('text', () => {
      it('accepts a string, as given', () => {
        expect(requireValueOfKind('text', ' Raqqa National Hospital ')).toBe(' Raqqa National Hospital ');
      });

      it('accepts text of exactly the limit', () => {
        const value = 'ن'.repeat(LIMITS.textValueChars);
        expect(requireValueOfKind('text', value)).toBe(value);
      });

      it.each<[string, unknown, DomainErrorCode]>([
        ['empty', '', 'VALUE_INVALID'],
        ['blank', '  ', 'VALUE_INVALID'],
        ['too long', 'x'.repeat(LIMITS.textValueChars + 1), 'VALUE_INVALID'],
        ['a boolean', false, 'VALUE_KIND_MISMATCH'],
        ['a quantity', { approx: 400 }, 'VALUE_KIND_MISMATCH'],
      ])('refuses %s', (_label, value, code) => {
        expect(failure(() => requireValueOfKind('text', value))).toEqual({ code, field: 'value' });
      });
    });

    it('names the field path it was given', () => {
      expect(failure(() => requireValueOfKind('quantity', { min: 2, max: NaN }, 'changes.value'))).toEqual({
        code: 'VALUE_INVALID',
        field: 'changes.value.max',
      });
    });
  });

  describe('stance and value', () => {
    it('requires a value to affirm', () => {
      expect(failure(() => checkStanceValue('affirms', undefined))?.code).toBe('VALUE_REQUIRED');
      expect(failure(() => checkStanceValue('affirms', true))).toBeUndefined();
    });

    it('lets a denial carry a value or not', () => {
      expect(failure(() => checkStanceValue('denies', undefined))).toBeUndefined();
      expect(failure(() => checkStanceValue('denies', { exact: 1 }))).toBeUndefined();
    });

    it('refuses a value when declined', () => {
      expect(failure(() => checkStanceValue('declined', false))?.code).toBe('VALUE_NOT_ALLOWED');
      expect(failure(() => checkStanceValue('declined', undefined))).toBeUndefined();
    });

    it('lets a hedge (uncertain) carry the value it leans to, or none', () => {
      expect(failure(() => checkStanceValue('uncertain', { approx: 20 }))).toBeUndefined();
      expect(failure(() => checkStanceValue('uncertain', undefined))).toBeUndefined();
    });
  });

  describe('units', () => {
    it('allows a unit only on a quantity claim', () => {
      expect(checkUnit('quantity', 'fighters')).toBe('fighters');
      expect(checkUnit('quantity', undefined)).toBeUndefined();
      for (const kind of ['boolean', 'date', 'text'] as ValueKind[]) {
        expect(failure(() => checkUnit(kind, 'km'))).toEqual({ code: 'UNIT_NOT_ALLOWED', field: 'unit' });
        expect(checkUnit(kind, undefined)).toBeUndefined();
      }
    });
  });

  describe('text fields', () => {
    it('counts characters as code points', () => {
      expect(charCount('😀😀')).toBe(2);
      expect(charCount('الرقة')).toBe(5);
    });

    it('accepts text up to the limit and keeps it verbatim', () => {
      expect(requireText(' a ', 'f', 3)).toBe(' a ');
      expect(requireText('😀😀😀', 'f', 3)).toBe('😀😀😀');
    });

    it.each<[string, unknown]>([
      ['empty', ''],
      ['blank', '\t\n'],
      ['too long', 'abcd'],
      ['not a string', 3],
      ['missing', undefined],
    ])('refuses %s', (_label, value) => {
      expect(failure(() => requireText(value, 'f', 3))).toEqual({ code: 'INVALID_FIELD', field: 'f' });
    });
  });

  describe('language tags', () => {
    it.each(['ar', 'en', 'en-GB', 'zh-Hant-TW', 'ar-Latn', 'und', 'ckb-IQ', 'x-raqqawi'])(
      'accepts %s',
      (tag) => {
        expect(requireLanguageTag(tag, 'lang')).toBe(tag);
      },
    );

    it.each([
      '',
      'a',
      'ar_SY',
      'en-',
      '-en',
      'en--GB',
      'ar SY',
      'abcdefghi',
      'Arabic',
      'x',
      `en-${'x'.repeat(40)}`,
      42,
    ])('refuses %j', (tag) => {
      expect(failure(() => requireLanguageTag(tag, 'lang'))).toEqual({
        code: 'INVALID_FIELD',
        field: 'lang',
      });
    });
  });

  describe('UTC instants', () => {
    it.each([
      '2017-10-15T09:00:00Z',
      '2017-10-15T09:00Z',
      '2017-10-15T09:00:00.123Z',
      '2017-10-15T23:59:59.999999Z',
      '2016-02-29T00:00:00Z',
    ])('accepts %s', (value) => {
      expect(isUtcInstant(value)).toBe(true);
    });

    it.each([
      '2017-10-15',
      '2017-10-15T09:00:00',
      '2017-10-15T09:00:00+00:00',
      '2017-10-15T12:00:00+03:00',
      '2017-10-15 09:00:00Z',
      '2017-10-15t09:00:00z',
      '2017-02-30T09:00:00Z',
      '2017-10-15T24:00:00Z',
      '2017-10-15T09:60:00Z',
      '2017-10-15T09:00:60Z',
      'Sunday evening',
      '',
    ])('refuses %s', (value) => {
      expect(isUtcInstant(value)).toBe(false);
    });

    it('refuses a non-string', () => {
      expect(isUtcInstant(Date.parse('2017-10-15T09:00:00Z'))).toBe(false);
    });

    it('checks a stated time and its precision', () => {
      expect(requireStatedAt({ at: '2017-10-14T18:00:00Z', precision: 'part-of-day' })).toEqual({
        at: '2017-10-14T18:00:00Z',
        precision: 'part-of-day',
      });
      expect(failure(() => requireStatedAt({ at: '2017-10-14T18:00:00Z', precision: 'evening' }))).toEqual({
        code: 'INVALID_FIELD',
        field: 'statedAt.precision',
      });
      expect(failure(() => requireStatedAt({ at: '2017-10-14T21:00:00+03:00', precision: 'hour' }))).toEqual({
        code: 'INVALID_FIELD',
        field: 'statedAt.at',
      });
      expect(failure(() => requireStatedAt('2017-10-14T18:00:00Z'))).toEqual({
        code: 'INVALID_FIELD',
        field: 'statedAt',
      });
    });
  });

  describe('quotes', () => {
    it('accepts a quote with a translation and keeps it verbatim', () => {
      const quote = {
        text: ' قال طلال سلو ',
        language: 'ar',
        translation: { text: 'Talal Silo said', language: 'en' },
      };
      expect(requireQuote(quote)).toEqual(quote);
    });

    it('accepts a quote of exactly the limit, counted in characters', () => {
      const text = '😀'.repeat(LIMITS.quoteChars);
      expect(requireQuote({ text, language: 'ar' }).text).toBe(text);
    });

    it.each<[string, unknown, string]>([
      ['too long', { text: 'x'.repeat(LIMITS.quoteChars + 1), language: 'ar' }, 'quote.text'],
      ['empty', { text: '', language: 'ar' }, 'quote.text'],
      ['without a language', { text: 'x' }, 'quote.language'],
      [
        'with an empty translation',
        { text: 'x', language: 'ar', translation: { text: ' ', language: 'en' } },
        'quote.translation.text',
      ],
      [
        'with a bad translation language',
        { text: 'x', language: 'ar', translation: { text: 'y', language: 'English' } },
        'quote.translation.language',
      ],
      ['with an unknown key', { text: 'x', language: 'ar', speaker: 'Silo' }, 'quote.speaker'],
      ['not an object', 'x', 'quote'],
    ])('refuses a quote %s', (_label, quote, field) => {
      expect(failure(() => requireQuote(quote))).toEqual({ code: 'INVALID_FIELD', field });
    });
  });

  describe('via', () => {
    it('accepts a full channel', () => {
      const via = {
        outlet: 'Reuters',
        kind: 'wire',
        url: 'https://www.reuters.com/a',
        reportedAt: '2017-10-15T10:00:00Z',
      };
      expect(requireVia(via)).toEqual(via);
    });

    it('accepts a channel with only outlet and kind, without undefined keys', () => {
      expect(requireVia({ outlet: 'AFP', kind: 'wire', url: undefined })).toStrictEqual({
        outlet: 'AFP',
        kind: 'wire',
      });
    });

    it.each(['http://example.org', 'https://example.org/a?b=c#d'])('accepts the url %s', (url) => {
      expect(requireUrl(url, 'via.url')).toBe(url);
    });

    it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.org', '/relative', '', 42])(
      'refuses the url %j',
      (url) => {
        expect(failure(() => requireUrl(url, 'via.url'))).toEqual({
          code: 'INVALID_FIELD',
          field: 'via.url',
        });
      },
    );

    it.each<[string, unknown, string]>([
      ['an empty outlet', { outlet: '', kind: 'wire' }, 'via.outlet'],
      ['an unknown kind', { outlet: 'AFP', kind: 'telegraph' }, 'via.kind'],
      [
        'a local reportedAt',
        { outlet: 'AFP', kind: 'wire', reportedAt: '2017-10-15T10:00:00' },
        'via.reportedAt',
      ],
      ['an unknown key', { outlet: 'AFP', kind: 'wire', author: 'x' }, 'via.author'],
    ])('refuses %s', (_label, via, field) => {
      expect(failure(() => requireVia(via))).toEqual({ code: 'INVALID_FIELD', field });
    });
  });

  describe('statement fields', () => {
    const fields = {
      stance: 'affirms',
      value: { approx: 400 },
      quote: { text: 'نحو 400 مدني', language: 'ar' },
      statedAt: { at: '2017-10-14T12:00:00Z', precision: 'day' },
      attribution: 'on-record',
    };

    it('rebuilds the fields without undefined keys', () => {
      expect(requireStatementFields({ ...fields, via: undefined }, 'quantity')).toStrictEqual(fields);
    });

    it('checks stance and value before the rest, with the prefix', () => {
      expect(
        failure(() =>
          requireStatementFields({ ...fields, stance: 'declined', quote: 1 }, 'quantity', 'changes'),
        ),
      ).toEqual({
        code: 'VALUE_NOT_ALLOWED',
        field: 'changes.value',
      });
      expect(failure(() => requireStatementFields(fields, 'boolean'))).toEqual({
        code: 'VALUE_KIND_MISMATCH',
        field: 'value',
      });
    });
  });

  describe('JSON helpers', () => {
    it('removes undefined keys at any depth', () => {
      expect(
        withoutUndefined({ a: 1, b: undefined, c: { d: undefined, e: [{ f: undefined, g: 2 }] } }),
      ).toStrictEqual({
        a: 1,
        c: { e: [{ g: 2 }] },
      });
    });

    it('compares as JSON does', () => {
      expect(isSameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
      expect(isSameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
      expect(isSameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
      expect(isSameJson([1, 2], [2, 1])).toBe(false);
      expect(isSameJson({ exact: 1 }, { approx: 1 })).toBe(false);
      expect(isSameJson('a', 'a')).toBe(true);
      expect(isSameJson(null, undefined)).toBe(false);
      expect(isSameJson([], {})).toBe(false);
    });

    it('patches without mutating: null removes, undefined keeps', () => {
      const current = { a: 1, b: 2, c: 3 };
      expect(
        applyPatch<{ a: number; b?: number; c: number }>(current, { a: 5, b: null, c: undefined }),
      ).toStrictEqual({
        a: 5,
        c: 3,
      });
      expect(current).toEqual({ a: 1, b: 2, c: 3 });
    });
  });
});
