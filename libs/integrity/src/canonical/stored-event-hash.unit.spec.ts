import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { hashEvent, rehashStored, type StoredHashable } from '../event-hash';
import { hashStoredEventText, recomputeStoredEventHash, type StoredEventText } from './stored-event-hash';
import { ARABIC, jsonStrings, jsonValues } from './testing/json-arbitraries';

const hex64 = fc
  .array(fc.integer({ min: 0, max: 15 }), { minLength: 64, maxLength: 64 })
  .map((ds) => ds.map((d) => d.toString(16)).join(''));

const ids = fc.oneof(fc.uuid(), jsonStrings, fc.constantFrom(...ARABIC));

/** The caller's context as a store keeps it: optional keys absent, present, null, any order. */
const contexts = fc
  .record(
    {
      principal: fc.oneof(ids, fc.constant(null)),
      correlationId: ids,
      causationId: fc.oneof(ids, fc.constant(null)),
      idempotencyKey: ids,
    },
    { requiredKeys: [] },
  )
  .chain((context) =>
    fc
      .shuffledSubarray(Object.keys(context), { minLength: Object.keys(context).length })
      .map((order) => Object.fromEntries(order.map((key) => [key, context[key as keyof typeof context]]))),
  );

const events = fc.record({
  eventId: ids,
  streamId: ids,
  streamVersion: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  type: ids,
  schemaVersion: fc.integer({ min: 0, max: 1000 }),
  data: jsonValues,
  context: contexts,
  recordedAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  prevHash: hex64,
});

type Generated = typeof events extends fc.Arbitrary<infer T> ? T : never;

/** As the SQLite store writes an event: data and context each JSON.stringify'd into a column. */
function asText(
  event: Generated,
  data = JSON.stringify(event.data),
  context = JSON.stringify(event.context),
): StoredEventText {
  return { ...event, data, context };
}

/** As every store gives it back, parsed: the definition's input. */
function asStored(event: Generated): StoredHashable {
  const context = JSON.parse(JSON.stringify(event.context)) as StoredHashable['metadata'];
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: JSON.parse(JSON.stringify(event.data)) as unknown,
    metadata: { ...context, recordedAt: event.recordedAt, prevHash: event.prevHash },
  };
}

describe('hashStoredEventText', () => {
  it('is hashEvent of the parsed event, for random events (Arabic, numbers, nesting, key orders)', () => {
    fc.assert(
      fc.property(events, (event) => {
        const fast = hashStoredEventText(asText(event));
        return fast !== undefined && fast === rehashStored(asStored(event));
      }),
      { numRuns: 2000 },
    );
  });

  it('still agrees when the stored text is indented or its keys reordered', () => {
    fc.assert(
      fc.property(events, fc.constantFrom(1, '\t'), (event, indent) => {
        const text = asText(
          event,
          JSON.stringify(event.data, null, indent),
          JSON.stringify(event.context, null, indent),
        );
        const fast = hashStoredEventText(text);
        return fast === undefined || fast === rehashStored(asStored(event));
      }),
      { numRuns: 500 },
    );
  });

  it('matches a known event exactly as hashEvent computes it', () => {
    const event = {
      eventId: '3a8c8983-a8f2-420e-b53c-d1b262c1a3e1',
      streamId: 'source-4a507479-b69e-49aa-8b87-d482fbab6181',
      streamVersion: 1,
      type: 'SourceRegistered',
      schemaVersion: 1,
      data: { sourceId: '4a507479', name: 'قوات سوريا الديمقراطية', kind: 'organization', protected: false },
      metadata: { principal: 'demo-loader', correlationId: 'demo', recordedAt: '2026-11-30T13:29:53.634Z' },
      prevHash: '0'.repeat(64),
    };
    const { recordedAt, ...context } = event.metadata;
    expect(
      hashStoredEventText({
        ...event,
        data: JSON.stringify(event.data),
        context: JSON.stringify(context),
        recordedAt,
      }),
    ).toBe(hashEvent(event));
  });

  it('declines a context with keys the hash does not cover, and one that is not an object', () => {
    const base: StoredEventText = {
      eventId: 'e',
      streamId: 's',
      streamVersion: 1,
      type: 't',
      schemaVersion: 1,
      data: '{}',
      context: '{"principal":"p","correlationId":"c","smuggled":"x"}',
      recordedAt: '2017-10-15T06:00:00.000Z',
      prevHash: '0'.repeat(64),
    };
    expect(hashStoredEventText(base)).toBeUndefined();
    expect(hashStoredEventText({ ...base, context: '{"principal":"p","hash":"x"}' })).toBeUndefined();
    expect(hashStoredEventText({ ...base, context: '"p"' })).toBeUndefined();
    expect(hashStoredEventText({ ...base, context: '{"principal":"p","principal":"q"}' })).toBeUndefined();
    expect(hashStoredEventText({ ...base, context: '{}', data: '{"n":1e999}' })).toBeUndefined();
  });
});

describe('recomputeStoredEventHash', () => {
  /** Data stored as its canonical text (what stores write now) or as JSON.stringify wrote it (older logs). */
  const stored = fc.tuple(events, fc.boolean()).map(([event, canonical]) => ({
    event,
    text: asText(event, canonical ? (canonicalize(event.data) as string) : JSON.stringify(event.data)),
  }));

  it('is hashEvent of the parsed event for logs mixing canonical and older data text', () => {
    fc.assert(
      fc.property(fc.array(stored, { minLength: 1, maxLength: 8 }), (rows) =>
        rows.every(({ event, text }) => {
          const definition = rehashStored(asStored(event));
          return recomputeStoredEventHash(text, definition) === definition;
        }),
      ),
      { numRuns: 600 },
    );
  });

  it('does not match when canonical data text was edited, as the definition does not', () => {
    fc.assert(
      fc.property(events, (event) => {
        const data = canonicalize({ ...asObject(event.data), edited: true }) as string;
        const original = rehashStored(asStored(event));
        const edited = { ...event, data: JSON.parse(data) as unknown };
        return (
          recomputeStoredEventHash(asText(event, data), original) !== original &&
          rehashStored(asStored(edited)) !== original
        );
      }),
      { numRuns: 300 },
    );
  });

  it('does not match when text moved between the data column and the next one', () => {
    fc.assert(
      fc.property(events, (event) => {
        const data = canonicalize({ ...asObject(event.data), k: 1 }) as string;
        const withData = { ...event, data: JSON.parse(data) as unknown };
        const original = rehashStored(asStored(withData));
        // The data column loses its tail to the event id, or takes the start of the id's token.
        const shortened = { ...asText(withData, data.slice(0, -1)), eventId: `}${event.eventId}` };
        const lengthened = { ...asText(withData, `${data},"eventId":`), eventId: event.eventId };
        return (
          recomputeStoredEventHash(shortened, original) !== original &&
          recomputeStoredEventHash(lengthened, original) !== original
        );
      }),
      { numRuns: 300 },
    );
  });

  it('never vouches for a data column that is not one JSON value, whatever hash is stored beside it', () => {
    // A hash computed over the composed text itself, as someone rewriting the log could store it.
    const row: StoredEventText = {
      eventId: 'e',
      streamId: 's',
      streamVersion: 1,
      type: 't',
      schemaVersion: 1,
      data: '{"a":1},"b":{"c":2}',
      context: '{"principal":"p","correlationId":"c"}',
      recordedAt: '2017-10-15T06:00:00.000Z',
      prevHash: '0'.repeat(64),
    };
    const composed =
      `{"data":${row.data},"eventId":"e","metadata":{"correlationId":"c","principal":"p",` +
      `"recordedAt":"2017-10-15T06:00:00.000Z"},"prevHash":"${row.prevHash}","schemaVersion":1,` +
      `"streamId":"s","streamVersion":1,"type":"t"}`;
    const forged = hash('sha256', composed, 'hex');
    expect(recomputeStoredEventHash(row, forged)).not.toBe(forged);
    // The same layout over one value does match: the forgery fails only for its data column.
    const honest = { ...row, data: '{"a":1}' };
    const honestHash = hash('sha256', composed.replace(row.data, honest.data), 'hex');
    expect(recomputeStoredEventHash(honest, honestHash)).toBe(honestHash);
  });
});

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}
