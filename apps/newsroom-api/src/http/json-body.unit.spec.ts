import fc from 'fast-check';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-body';
import { ProblemError } from './problem';

const codeOf = (bytes: Buffer | string): string | undefined => {
  try {
    parseJsonBody(Buffer.from(bytes));
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(400);
    return (error as ProblemError).code;
  }
};

describe('the JSON body parser (docs/security.md, hostile input)', () => {
  it('parses what JSON.parse does for well-formed text, whatever its script and bidi marks', () => {
    const text = fc
      .string({ unit: 'grapheme', maxLength: 50 })
      // eslint-disable-next-line no-control-regex -- the characters the parser refuses
      .filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/.test(s));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(text, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const json = JSON.stringify(v);
        expect(parseJsonBody(Buffer.from(json))).toEqual(JSON.parse(json));
      }),
      { seed: 9, numRuns: 300 },
    );
    expect(parseJsonBody(Buffer.from('{"q":"الرقة \u202Eabc\u202C \u2067x\u2069","t":"a\\tb\\nc"}'))).toEqual(
      {
        q: 'الرقة \u202Eabc\u202C \u2067x\u2069',
        t: 'a\tb\nc',
      },
    );
  });

  it.each([
    [
      'bytes that are not UTF-8',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
      'INVALID_UTF8',
    ],
    ['a UTF-8-encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'INVALID_UTF8'],
    ['an empty body', '  ', 'EMPTY_BODY'],
    ['malformed JSON', '{"a":', 'MALFORMED_JSON'],
    ['a NUL in a value', '{"a":"x\\u0000"}', 'INVALID_TEXT'],
    ['an escape character in a field name', '{"\\u001b[31m":1}', 'INVALID_TEXT'],
    ['a C1 control', '["\\u0085"]', 'INVALID_TEXT'],
    ['a lone high surrogate', '{"a":"\\ud800"}', 'INVALID_TEXT'],
    ['a lone low surrogate', '{"a":"\\udc00x"}', 'INVALID_TEXT'],
    ['a noncharacter', '"\\uffff"', 'INVALID_TEXT'],
    ['a number beyond double range', '{"exact":1e400}', 'NUMBER_OUT_OF_RANGE'],
    ['__proto__', '{"__proto__":{"admin":true}}', 'FORBIDDEN_FIELD'],
    [
      'nesting one level too deep',
      '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1),
      'JSON_TOO_DEEP',
    ],
    ['nesting 100,000 levels deep', '['.repeat(100_000) + ']'.repeat(100_000), 'JSON_TOO_DEEP'],
  ])('refuses %s with a 400 naming it', (_name, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('accepts a surrogate pair, a byte-order mark, and nesting up to the limit', () => {
    expect(parseJsonBody(Buffer.from('"\\ud83d\\ude00"'))).toBe('😀');
    expect(parseJsonBody(Buffer.from('\uFEFF{"a":1}'))).toEqual({ a: 1 });
    expect(codeOf('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeUndefined();
  });
});
