import fc from 'fast-check';
import type { JsonSchema } from './openapi-routes';

/**
 * fast-check generators for the hostile-input suite: values that fit a route's JSON schema (as the
 * served OpenAPI document gives it), mutations of them, and text and bytes chosen to hurt.
 */

/** Ids that exist in the app under test, by the name of the field or parameter that holds them. */
export type IdPool = Record<string, string[]>;

/** Text that is valid Unicode but known to trip code: scripts, bidi controls, combining marks, emoji. */
export const NASTY_VALID_TEXT = [
  'الرقة',
  'Ra\u202Eqqa\u202C',
  '\u2066isolated\u2069 \u200F\u200E',
  'e\u0301\u0301\u0301',
  '👩🏽‍⚖️🏳️‍🌈',
  '\uFEFFbom',
  "Robert'); DROP TABLE events;--",
  '{"$where":"1"}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '%00%ff',
  ' ',
  '\t\n',
];

/** Text no JSON body may carry: NUL and other controls, lone surrogates, noncharacters. */
export const INVALID_TEXT = ['a\u0000b', '\u0007', '\uD800', 'x\uDC00', '\u001B[31m', '\u0085', '\uFFFF'];

const uuidOf = (name: string, ids: IdPool): fc.Arbitrary<string> => {
  const known = ids[name] ?? (name === 'evidence' ? ids.statementId : undefined) ?? [];
  return known.length === 0
    ? fc.uuid()
    : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, fc.uuid());
};

const textOf = (schema: JsonSchema): fc.Arbitrary<string> => {
  const max = Math.min(schema.maxLength ?? 200, 200);
  const min = schema.minLength ?? 0;
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: max }) },
    fc.constantFrom(...NASTY_VALID_TEXT.filter((t) => t.length <= (schema.maxLength ?? Infinity))),
    // Exactly as long as allowed, in a script that is two UTF-16 units a character in places.
    fc.constant('م'.repeat(schema.maxLength ?? 1000)),
  );
};

/** A value the schema allows (blank-text refinements are zod's, so some are still refused). */
export function valueOf(schema: JsonSchema, ids: IdPool, name = ''): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueOf(s, ids, name)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const value = valueOfType(schema, ids, name);
  return schema.nullable ? fc.option(value, { nil: null }) : value;
}

function valueOfType(schema: JsonSchema, ids: IdPool, name: string): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'array':
      return fc.array(valueOf(schema.items ?? {}, ids, name), {
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object':
      return objectOf(schema, ids);
    case 'string':
      if (schema.format === 'uuid') return uuidOf(name, ids);
      if (schema.format === 'date-time')
        return fc
          .date({
            min: new Date('1990-01-01T00:00:00Z'),
            max: new Date('2030-01-01T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      if (schema.format === 'uri') return fc.webUrl();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (name === 'date') return fc.constantFrom('2017-10-12', '2017-10', '2017', '2018-10-02T13:14');
      return textOf(schema);
    case undefined:
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, ids: IdPool): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([key, s]) => [key, valueOf(s, ids, key)]),
  );
  return fc.record(fields, { requiredKeys: [...required] });
}

/** A hostile leaf: what a mutation puts in place of a valid value. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...INVALID_TEXT, ...NASTY_VALID_TEXT),
  fc.constantFrom(null, true, 0, -0, -1, 1e308, -1e308, 5e-324, 2 ** 60, [], {}, ['x'], { a: 1 }),
  fc.constantFrom('9223372036854775808', '-1', '1e400', 'NaN', 'Infinity', '0x10', ''),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Percent-encodes the UTF-8 bytes of a string (encodeURIComponent throws on a lone surrogate; a URL
 * can only carry bytes, so one arrives as U+FFFD, and raw bad bytes are sent as `%ED%A0%80`).
 */
export const encode = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

type Path = (string | number)[];

/** All paths to the leaves and inner nodes of a JSON value (the root excluded). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function edit(value: unknown, path: Path, change: (parent: any, key: string | number) => void): unknown {
  const copy = structuredClone(value) as any;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  change(parent, path[path.length - 1]!);
  return copy;
}

/** A valid body mutated once: a field dropped, replaced by a hostile leaf, or an unknown one added. */
export function mutated(body: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(body);
  const added = fc
    .tuple(fc.string({ maxLength: 20 }), hostileLeaf)
    .map(([key, leaf]) =>
      body !== null && typeof body === 'object' ? { ...body, [key === '' ? 'extra' : key]: leaf } : leaf,
    );
  if (paths.length === 0) return fc.oneof(added, hostileLeaf);
  const at = fc.constantFrom(...paths);
  return fc.oneof(
    at.map((path) => edit(body, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]))),
    fc.tuple(at, hostileLeaf).map(([path, leaf]) => edit(body, path, (p, k) => void (p[k] = leaf))),
    added,
  );
}

/** Raw bodies that are not a valid JSON request at all. */
export function rawJunk(valid: unknown): fc.Arbitrary<Buffer> {
  const text = JSON.stringify(valid) ?? 'null';
  return fc
    .oneof(
      fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => Buffer.from(text.slice(0, cut))),
      fc.json({ maxDepth: 4 }).map((json) => Buffer.from(json)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc
        .integer({ min: 33, max: 200_000 })
        .map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
      fc
        .integer({ min: 33, max: 20_000 })
        .map((depth) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
      // Not UTF-8: a latin-1 é, an overlong slash, a lone continuation byte, a surrogate encoded in UTF-8.
      fc
        .constantFrom([0xe9], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80])
        .map((bad) =>
          Buffer.concat([Buffer.from(text.slice(0, -2)), Buffer.from(bad), Buffer.from(text.slice(-2))]),
        ),
      fc.constantFrom('', ' ', 'null', '[]', '"x"', '1e999', '{"__proto__":{"admin":true}}', '\uFEFF{}'),
      fc.constant(Buffer.alloc(300 * 1024, 0x61)),
    )
    .map((body) => (typeof body === 'string' ? Buffer.from(body) : body));
}

export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  'application/octet-stream',
  '',
);

/** Header values fetch can send (it refuses CR, LF and NUL itself; those are in the raw-socket tests). */
const headerValue = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  fc.constantFrom('"3"', 'W/"1"', '"99999999999999999999"', '*', '', ' ', 'Bearer', 'x'.repeat(8000)),
);

export const junkHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'idempotency-key': headerValue,
    'if-match': headerValue,
    'if-none-match': headerValue,
    'x-correlation-id': headerValue,
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml', 'application/problem+json', ''),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*;q=0'),
    'last-event-id': headerValue,
    'x-forwarded-for': headerValue,
  },
  { requiredKeys: [] },
);

/** What goes after `?`: known parameters with valid or hostile values, and junk. */
export function queryOf(params: { name: string; schema: JsonSchema }[], ids: IdPool): fc.Arbitrary<string> {
  const pair = (name: string, schema: JsonSchema) =>
    fc
      .oneof(
        { weight: 2, arbitrary: valueOf(schema, ids, name).map(String) },
        fc.constantFrom('9223372036854775808', '18446744073709551616', '-1', '1e308', '0', '', ' ', '%'),
        fc.constantFrom(...INVALID_TEXT, ...NASTY_VALID_TEXT),
      )
      .map((value) => `${encode(name)}=${encode(value)}`);
  const known = params.length === 0 ? [] : [fc.constantFrom(...params).chain((p) => pair(p.name, p.schema))];
  const junk = fc.oneof(
    fc.constantFrom(
      '%ff',
      '%zz',
      '%',
      'a[]=1&a[]=2',
      'a[b][c]=1',
      '&&&',
      '=',
      '__proto__=1',
      'limit=1&limit=2',
    ),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map(encodeURI),
  );
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.oneof(...known, junk) }, junk), { maxLength: 4 })
    .map((parts) => parts.join('&'));
}

/** A path parameter: an id that exists, a fresh UUID, or something that is not an id at all. */
export function pathParamOf(name: string, ids: IdPool): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: uuidOf(name, ids).map(encode) },
    fc.constantFrom(
      '%00',
      '%ff',
      '%2e%2e',
      '..',
      '%2F',
      'null',
      '0',
      '-1',
      '9223372036854775808',
      'x'.repeat(150),
    ),
    fc.constantFrom(...INVALID_TEXT, ...NASTY_VALID_TEXT).map(encode),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map(encode),
  );
}
