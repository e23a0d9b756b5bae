import fc from 'fast-check';
import { canonicalJsonCopy, canonicalJsonValue } from './canonical-value';
import { jsonValues } from './testing/json-arbitraries';

/**
 * The same value as far as JSON.parse can tell them apart, and more: leaves by Object.is (so -0 is
 * not 0), own keys in the same order, the same prototype, arrays against arrays.
 */
function sameParsedValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null) return Object.is(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return false;
  if (Reflect.ownKeys(actual).length !== Reflect.ownKeys(expected).length) return false;
  // Enumerable own keys: a member JSON.stringify or a spread would not see is not a member.
  const keys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  if (keys.length !== actualKeys.length || keys.some((key, i) => key !== actualKeys[i])) return false;
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  return keys.every((key) => sameParsedValue(a[key], e[key]));
}

/** What the stores returned before: JSON.parse of the canonical text. */
const parsed = (value: unknown): unknown => JSON.parse(canonicalJsonValue(value) ?? 'undefined');

describe('canonicalJsonCopy', () => {
  it('gives canonicalJsonValue as its text and JSON.parse of that text as its copy, for any JSON', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        const canonical = canonicalJsonCopy(value);
        return (
          canonical !== undefined &&
          canonical.text === canonicalJsonValue(value) &&
          sameParsedValue(canonical.copy, parsed(value))
        );
      }),
      { numRuns: 3000 },
    );
  });

  it.each<[string, unknown]>([
    ['-0, which JSON.parse reads back as 0', { a: -0, b: [-0] }],
    ['integer-like keys, which objects order first', { b: 1, '10': 2, '2': 3, a: 4 }],
    ['a "__proto__" key, an own key and not the prototype', JSON.parse('{"__proto__":{"x":1},"a":null}')],
    ['undefined members', { b: undefined, a: [1, { c: undefined }] }],
    [
      'a null-prototype object, copied as a plain one',
      Object.assign(Object.create(null) as object, { b: 1 }),
    ],
    ['scalars at the top', 'قال المتحدث'],
    ['null at the top', null],
  ])('copies %s as JSON.parse would', (_name, value) => {
    const canonical = canonicalJsonCopy(value);
    expect(canonical?.text).toBe(canonicalJsonValue(value));
    expect(sameParsedValue(canonical?.copy, parsed(value))).toBe(true);
  });

  it('tells -0 from 0 and a missing key order from the canonical one (the check can fail)', () => {
    expect(sameParsedValue({ a: -0 }, { a: 0 })).toBe(false);
    expect(sameParsedValue({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe(false);
    expect(sameParsedValue(Object.create(null), {})).toBe(false);
    expect(sameParsedValue(Object.defineProperty({}, 'a', { value: 1 }), { a: 1 })).toBe(false);
  });

  it('shares nothing with the value it copies', () => {
    const value = { quote: { text: 'x' }, values: [{ exact: 1 }] };
    const canonical = canonicalJsonCopy(value);
    value.quote.text = 'changed';
    value.values[0] = { exact: 2 };
    expect(canonical?.copy).toEqual({ quote: { text: 'x' }, values: [{ exact: 1 }] });
  });

  it.each<[string, unknown]>([
    ['NaN', { n: NaN }],
    ['a Date', { at: new Date(0) }],
    ['an undefined array item', [1, undefined]],
    ['undefined', undefined],
  ])('declines %s, as canonicalJsonValue does', (_name, value) => {
    expect(canonicalJsonCopy(value)).toBeUndefined();
    // Declining leaves nothing behind: the next call copies from scratch.
    expect(canonicalJsonCopy({ a: 1 })).toEqual({ text: '{"a":1}', copy: { a: 1 } });
  });
});
