import fc from 'fast-check';

/** Random JSON for the canonical-form property tests: Arabic, odd units, every number, any key order. */
export const ARABIC = [
  'قوات سوريا الديمقراطية',
  'مجلس الرقة المدني',
  'لن يعلق على من سيكون في القافلة',
  'الرقة',
];

/** Any UTF-16 unit, lone surrogates and control characters included. */
export const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

export const jsonStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: anyUnit }),
  fc.constantFrom(...ARABIC),
  fc.constantFrom('"', '\\', '\n', '\u2028', '\u0000', '\u001f', '\u007f', '😀', '\ud800', 'a"b\\c'),
);

export const jsonNumbers = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    1e21,
    1e-7,
    123456789012345,
    1234567890123456,
    2 ** 53 + 1,
    5e-324,
    1.7976931348623157e308,
  ),
);

export const jsonValues = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    jsonStrings,
    jsonNumbers,
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  // Keys in any order, Arabic and odd ones too; fc.dictionary keeps its generation order.
  object: fc.dictionary(
    fc.oneof(jsonStrings, fc.constantFrom('a', 'b', 'B', 'é', '10', '2', '__proto__')),
    tie('value'),
    {
      maxKeys: 6,
    },
  ),
})).value;
