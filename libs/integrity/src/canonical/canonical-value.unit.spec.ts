import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { hashEvent, type HashableEvent } from '../event-hash';
import { canonicalEventBytes } from '../event-hash';
import { canonicalEventText, canonicalJsonValue, hashEventWithCanonicalData } from './canonical-value';
import { jsonStrings, jsonValues } from './testing/json-arbitraries';

/** The definition, event-hash.ts's canonicalize, on the same value. */
const reference = (value: unknown): string | undefined => canonicalize(value);

class Point {
  constructor(readonly x: number) {}
}

describe('canonicalJsonValue', () => {
  it('equals canonicalize for any JSON value: unicode, lone surrogates, every number, any key order', () => {
    fc.assert(
      fc.property(jsonValues, (value) => canonicalJsonValue(value) === reference(value)),
      { numRuns: 3000 },
    );
  });

  it.each<[string, unknown, string]>([
    ['-0', -0, '0'],
    ['1e21', 1e21, '1e+21'],
    ['1e-7', 1e-7, '1e-7'],
    ['2^53 + 1', 2 ** 53 + 1, '9007199254740992'],
    ['the smallest double', 5e-324, '5e-324'],
    ['escapes', 'a"b\\c\n\u0000\u001f\u007f\u2028', '"a\\"b\\\\c\\n\\u0000\\u001f\u007f\u2028"'],
    ['a lone surrogate', '\ud800x', '"\\ud800x"'],
    ['a surrogate pair', '😀', '"😀"'],
    ['Arabic', 'قوات سوريا الديمقراطية', '"قوات سوريا الديمقراطية"'],
    // UTF-16 code units, not code points: U+FB01 (one unit 0xFB01) sorts after 😀 (0xD83D 0xDE00).
    ['keys by UTF-16 code units', { ﬁ: 1, '😀': 2, é: 3, z: 4, Z: 5, '10': 6, '2': 7 }, ''],
    ['undefined members left out', { b: undefined, a: [1, { c: undefined }] }, '{"a":[1,{}]}'],
    [
      'a null-prototype object',
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      '{"a":2,"b":1}',
    ],
    [
      'a "__proto__" key',
      JSON.parse('{"__proto__":{"x":1},"a":null}') as unknown,
      '{"__proto__":{"x":1},"a":null}',
    ],
  ])('writes %s as canonicalize does', (_name, value, text) => {
    const expected = reference(value);
    expect(canonicalJsonValue(value)).toBe(expected);
    if (text !== '') expect(expected).toBe(text);
  });

  const circular: Record<string, unknown> = { a: 1 };
  circular.self = { nested: circular };
  const circularArray: unknown[] = [1];
  circularArray.push([circularArray]);
  let deep: unknown = 'bottom';
  for (let i = 0; i < 200; i += 1) deep = { d: deep };

  it.each<[string, unknown]>([
    ['NaN', NaN],
    ['Infinity', { a: -Infinity }],
    ['a function', { f: () => 1 }],
    ['a symbol', [Symbol('s')]],
    ['a bigint', { n: 1n }],
    ['undefined', undefined],
    ['an undefined array item', [1, undefined]],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map([['a', 1]])],
    ['a class instance', [new Point(1)]],
    ['an object with toJSON', { toJSON: () => 'x' }],
    ['a circular object', circular],
    ['a circular array', circularArray],
  ])('declines %s (not plain JSON)', (_name, value) => {
    expect(canonicalJsonValue(value)).toBeUndefined();
  });

  it('answers for deep but finite nesting, past the depth where it starts tracking ancestors', () => {
    expect(canonicalJsonValue(deep)).toBe(reference(deep));
    const shared = { s: 1 };
    expect(canonicalJsonValue({ a: shared, b: [shared, shared] })).toBe(
      '{"a":{"s":1},"b":[{"s":1},{"s":1}]}',
    );
  });
});

const identifiers = fc.oneof(fc.uuid(), jsonStrings);
const events: fc.Arbitrary<HashableEvent> = fc.record({
  eventId: identifiers,
  streamId: identifiers,
  streamVersion: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  type: identifiers,
  schemaVersion: fc.integer({ min: 1, max: 1000 }),
  data: jsonValues,
  metadata: fc.record(
    {
      recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      principal: identifiers,
      correlationId: identifiers,
      causationId: identifiers,
      idempotencyKey: identifiers,
    },
    { requiredKeys: ['recordedAt', 'principal', 'correlationId'] },
  ),
  prevHash: fc.oneof(fc.constant('0'.repeat(64)), fc.stringMatching(/^[0-9a-f]{64}$/)),
});

describe('hashEventWithCanonicalData', () => {
  it('is hashEvent, bit for bit, for any event', () => {
    fc.assert(
      fc.property(events, (event) => {
        const data = canonicalJsonValue(event.data);
        if (data === undefined) return false;
        const { data: _data, ...head } = event;
        return (
          canonicalEventText(head, data) === canonicalEventBytes(event) &&
          hashEventWithCanonicalData(head, data) === hashEvent(event)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('hashes the known statement event as hashEvent does', () => {
    const event: HashableEvent = {
      eventId: 'e-1',
      streamId: 'claim-1',
      streamVersion: 3,
      type: 'StatementReported',
      schemaVersion: 1,
      data: { quote: { text: 'الرقة', language: 'ar' }, value: { exact: 1e21 }, stance: 'affirms' },
      metadata: {
        recordedAt: '2017-10-15T09:00:00.000Z',
        principal: 'desk',
        correlationId: 'c',
        causationId: 'x',
      },
      prevHash: '0'.repeat(64),
    };
    const { data, ...head } = event;
    expect(hashEventWithCanonicalData(head, canonicalJsonValue(data) ?? '')).toBe(hashEvent(event));
  });
});
