import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { GENESIS_HASH, hashEvent } from '@app/integrity';
import type { EventContext, NewEvent } from '../port/event-store.port';
import { EMPTY_STREAM, chainEvents, checkAppend, dataTextOf, type DataCopy } from './append-plan';
import { InvalidAppendError } from './errors';
import { toJsonValue } from './json-value';

/**
 * The write path computes the canonical data text once and hashes it (decision 0023). These hold it
 * to the path it replaced: toJsonValue's copy, hashed by hashEvent (canonicalize over the event).
 */

const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(
    'قال المتحدث طلال سيلو',
    '"',
    '\\',
    '\n',
    '\u2028',
    '\u0000',
    '😀',
    '\ud800',
    '__proto__',
    '10',
    '2',
  ),
);
const numbers = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53 + 1, 5e-324, 1.7976931348623157e308),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    strings,
    numbers,
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  // Undefined members too: JSON leaves them out, and so must the hash.
  object: fc.dictionary(strings, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
})).value;

/** Leaves that are not JSON, anywhere in an otherwise JSON value. */
const notJson = fc.constantFrom<unknown>(
  NaN,
  Infinity,
  undefined,
  () => 1,
  Symbol('s'),
  10n,
  new Date(0),
  new Map(),
  [1, , 2], // eslint-disable-line no-sparse-arrays
);
const maybeJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, strings, numbers, notJson, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(strings, tie('value'), { maxKeys: 3 }),
})).value;

const contexts: fc.Arbitrary<EventContext> = fc.record(
  {
    principal: fc.string({ minLength: 1 }),
    correlationId: fc.string({ minLength: 1 }),
    causationId: fc.string({ minLength: 1 }),
    idempotencyKey: fc.string({ minLength: 1 }),
  },
  { requiredKeys: ['principal', 'correlationId'] },
);

const AT = '2017-10-15T09:00:00.000Z';
const copies = fc.constantFrom<DataCopy | undefined>(undefined, 'caller-order', 'stored-text');

function newEvent(data: unknown, metadata: EventContext, eventId = 'e-1'): NewEvent {
  return { eventId, type: 'StatementReported', schemaVersion: 1, data, metadata };
}

describe('the append plan: one canonical text per event', () => {
  it('hashes, copies and serialises exactly as toJsonValue + hashEvent did, for any JSON data', () => {
    fc.assert(
      fc.property(
        json,
        contexts,
        fc.integer({ min: 0, max: 1000 }),
        copies,
        (data, context, version, mode) => {
          const checked = checkAppend('claim-1', [newEvent(data, context)], version, mode);
          const tip = { version, lastHash: version === 0 ? GENESIS_HASH : 'a'.repeat(64) };
          const [event] = chainEvents('claim-1', checked, tip, AT);
          const copy = toJsonValue(data);
          const old = hashEvent({
            eventId: 'e-1',
            streamId: 'claim-1',
            streamVersion: version + 1,
            type: 'StatementReported',
            schemaVersion: 1,
            data: copy,
            metadata: { ...context, recordedAt: AT },
            prevHash: tip.lastHash,
          });
          expect(event?.metadata.hash).toBe(old);
          expect(dataTextOf(checked, 0)).toBe(canonicalize(copy));
          expect(event?.data).toEqual(copy);
          // The copy's key order: the caller's (what PostgreSQL stores), or the stored text's (SQLite).
          const text = JSON.stringify(event?.data);
          if (mode === 'stored-text') expect(text).toBe(JSON.stringify(JSON.parse(dataTextOf(checked, 0))));
          else expect(text).toBe(JSON.stringify(copy));
          expect(event?.metadata).toEqual({ ...context, recordedAt: AT, hash: old, prevHash: tip.lastHash });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('rejects exactly what toJsonValue rejects, with its message', () => {
    fc.assert(
      // Top-level undefined is "data is missing", checked before (unchanged).
      fc.property(
        maybeJson.filter((data) => data !== undefined),
        (data) => {
          const attempt = () =>
            checkAppend('claim-1', [newEvent(data, { principal: 'p', correlationId: 'c' })], 0);
          let expected: unknown;
          try {
            toJsonValue(data, 'events[0].data');
          } catch (error) {
            expected = error;
          }
          if (expected === undefined) {
            expect(attempt).not.toThrow();
          } else {
            expect(attempt).toThrow(InvalidAppendError);
            expect(attempt).toThrow((expected as Error).message);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('rejects a sparse array (JSON would write null where the hash saw nothing)', () => {
    // A hole, as `[1, , 3]` or `new Array(3)` leave one.
    const values: number[] = [];
    values[0] = 1;
    values[2] = 3;
    const append = () =>
      checkAppend('claim-1', [newEvent({ values }, { principal: 'p', correlationId: 'c' })], 0);
    expect(append).toThrow('events[0].data.values[1] is undefined');
  });

  it('gives back a copy the caller cannot change, equal to what the text reads back as', () => {
    const data = { b: [1, { c: 'x' }], a: -0 };
    const [event] = chainEvents(
      's',
      checkAppend('s', [newEvent(data, { principal: 'p', correlationId: 'c' })], 0, 'stored-text'),
      EMPTY_STREAM,
      AT,
    );
    data.b.push(2);
    expect(event?.data).toEqual({ a: 0, b: [1, { c: 'x' }] });
    expect(event?.data).toEqual(JSON.parse('{"a":0,"b":[1,{"c":"x"}]}'));
  });
});
