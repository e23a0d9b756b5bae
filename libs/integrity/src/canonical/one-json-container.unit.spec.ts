import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { isOneJsonContainer } from './one-json-container';
import { jsonStrings, jsonValues } from './testing/json-arbitraries';

/** Canonical texts of random objects and arrays: what a store writes into the data column. */
const containers = fc
  .oneof(fc.array(jsonValues, { maxLength: 5 }), fc.dictionary(jsonStrings, jsonValues, { maxKeys: 6 }))
  .map((value) => canonicalize(value) as string);

describe('isOneJsonContainer', () => {
  it('holds for the canonical text of any object or array', () => {
    fc.assert(
      fc.property(containers, (text) => isOneJsonContainer(text)),
      { numRuns: 2000 },
    );
  });

  // The two ways a column split elsewhere could still compose the hashed text (decision 0021).
  it('refuses every proper prefix of such a text (the split falls inside the value)', () => {
    fc.assert(
      fc.property(containers, fc.nat(), (text, cut) => !isOneJsonContainer(text.slice(0, cut % text.length))),
      { numRuns: 2000 },
    );
  });

  it('refuses such a text followed by anything (the split falls after the value)', () => {
    fc.assert(
      fc.property(
        containers,
        fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom(',"eventId":"e"', '}', ']', ' ')),
        (text, rest) => !isOneJsonContainer(text + rest),
      ),
      { numRuns: 2000 },
    );
  });

  it('reads escaped quotes and backslashes inside strings as string content', () => {
    expect(isOneJsonContainer('{"a":"\\"}"}')).toBe(true);
    expect(isOneJsonContainer('{"a":"\\\\"}')).toBe(true);
    expect(isOneJsonContainer('{"a":"\\\\"},"b":1}')).toBe(false);
    expect(isOneJsonContainer('["]",["[",{}]]')).toBe(true);
  });

  it('refuses scalars, whitespace around the value and unterminated strings', () => {
    for (const text of ['"x"', '1', 'null', ' {}', '{} ', '{"a":"}', '', '{"a":1}{"b":2}']) {
      expect(isOneJsonContainer(text)).toBe(false);
    }
  });
});
