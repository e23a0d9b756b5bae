import { GENESIS_HASH, rehashStored } from '@app/integrity';
import { ANY, NO_STREAM, type JSONEventData, type RecordedEvent } from '@kurrent/kurrentdb-client';
import type { StoredEvent } from '../port/event-store.port';
import { KurrentDbCorruptEventError } from './kurrentdb-errors';
import {
  currentStateToVersion,
  expectedVersionToStreamState,
  fromRecordedEvent,
  ourStreamsFilter,
  recordIdFor,
  revisionToVersion,
  signalOf,
  toEventData,
  uuidV5,
  versionToStreamState,
} from './kurrentdb-mapping';
import {
  logCreatedEvent,
  markerEvent,
  parseLogCreated,
  parseMarker,
  reservationEvent,
  seekPlan,
} from './kurrentdb-position-log';
import { DEFAULT_STREAM_PREFIX, KurrentDbStreamNames } from './kurrentdb-names';
import { hashed } from './testing/stored-event';

const names = new KurrentDbStreamNames('newsroom');

/** What the server hands back for a record we appended: properties plus its `$schema.*` keys. */
function asRead(data: JSONEventData, streamName: string, revision: bigint): RecordedEvent {
  const metadata =
    data.metadata === undefined
      ? undefined
      : { ...(data.metadata as Record<string, string>), '$schema.format': 'Json', '$schema.name': data.type };
  return {
    streamId: streamName,
    id: data.id,
    isJson: true,
    revision,
    type: data.type,
    created: new Date(0),
    data: JSON.parse(JSON.stringify(data.data)) as RecordedEvent['data'],
    metadata,
    position: { commit: 500n, prepare: 700n },
  } as RecordedEvent;
}

describe('KurrentDB stream names', () => {
  it('maps our stream ids to prefixed stream names and back', () => {
    const id = 'claim-31b37622-9ef0-4760-a470-e146f003dfd0';
    expect(names.toStreamName(id)).toBe(`newsroom-${id}`);
    expect(names.toStreamId(`newsroom-${id}`)).toBe(id);
    expect(names.toStreamId(names.toStreamName('source-1'))).toBe('source-1');
  });

  it('recognises only our data streams', () => {
    expect(names.toStreamId('other-claim-1')).toBeUndefined();
    expect(names.toStreamId('newsroom-')).toBeUndefined();
    expect(names.toStreamId('newsroom.log')).toBeUndefined();
    expect(names.toStreamId(names.eventIdStream('evt-1'))).toBeUndefined();
    expect(names.toStreamId('$all')).toBeUndefined();
  });

  it('keeps the log and the reservations outside the filtered prefix, and logs apart from each other', () => {
    expect(names.dataPrefix).toBe('newsroom-');
    expect(names.logStream.startsWith(names.dataPrefix)).toBe(false);
    expect(names.eventIdStream('x').startsWith(names.dataPrefix)).toBe(false);
    const news = new KurrentDbStreamNames('news');
    expect(names.toStreamName('claim-1').startsWith(news.dataPrefix)).toBe(false);
    expect(new KurrentDbStreamNames().prefix).toBe(DEFAULT_STREAM_PREFIX);
  });

  it('names one reservation stream per exact event id', () => {
    expect(names.eventIdStream('evt-1')).toBe(names.eventIdStream('evt-1'));
    expect(names.eventIdStream('evt-1')).not.toBe(names.eventIdStream('EVT-1'));
    expect(names.eventIdStream('evt-1')).toMatch(/^newsroom\.event-[0-9a-f]{64}$/);
    expect(names.isEventIdStream(names.eventIdStream('evt-1'))).toBe(true);
    expect(names.isEventIdStream(names.logStream)).toBe(false);
  });

  it('refuses prefixes that could overlap another log or name a system stream', () => {
    for (const prefix of ['', 'news-room', 'a.b', '$newsroom', 'x'.repeat(65), 'with space']) {
      expect(() => new KurrentDbStreamNames(prefix)).toThrow(RangeError);
    }
  });
});

describe('expected version and stream state', () => {
  it("maps 0 to no stream, n to revision n - 1 and 'any' to any", () => {
    expect(expectedVersionToStreamState(0)).toBe(NO_STREAM);
    expect(expectedVersionToStreamState(1)).toBe(0n);
    expect(expectedVersionToStreamState(42)).toBe(41n);
    expect(expectedVersionToStreamState('any')).toBe(ANY);
    expect(versionToStreamState(3)).toBe(2n);
    expect(() => versionToStreamState(-1)).toThrow(RangeError);
    expect(() => versionToStreamState(1.5)).toThrow(RangeError);
  });

  it("maps the server's current state to our version; deleted states have none", () => {
    expect(currentStateToVersion(NO_STREAM)).toBe(0);
    expect(currentStateToVersion(0n)).toBe(1);
    expect(currentStateToVersion(9n)).toBe(10);
    expect(currentStateToVersion(-5n)).toBeUndefined();
    expect(currentStateToVersion(-6n)).toBeUndefined();
    expect(revisionToVersion(0n)).toBe(1);
  });
});

describe('record ids', () => {
  it('keeps a UUID (lower-cased) and derives a stable UUIDv5 from any other id', () => {
    expect(recordIdFor('31B37622-9EF0-4760-A470-E146F003DFD0')).toBe('31b37622-9ef0-4760-a470-e146f003dfd0');
    const derived = recordIdFor('evt-1');
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recordIdFor('evt-1')).toBe(derived);
    expect(recordIdFor('evt-2')).not.toBe(derived);
  });

  it('computes RFC 9562 UUIDv5 (the DNS namespace test vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('events to KurrentDB and back', () => {
  const full: StoredEvent = hashed({
    eventId: 'evt-7',
    streamId: 'claim-1',
    streamVersion: 3,
    position: 12n,
    data: { quote: { text: 'عشرات الحافلات', n: [1e21, 0.1, -273.15] }, nested: { z: null } },
    context: { principal: 'desk', correlationId: 'corr-1', causationId: 'cmd-1', idempotencyKey: 'idem-1' },
  });

  it('writes JSON data and string-only properties, and only our keys', () => {
    const data = toEventData(full, 'writer-1');
    expect(data).toMatchObject({
      id: recordIdFor('evt-7'),
      contentType: 'application/json',
      type: full.type,
    });
    expect(data.data).toEqual(full.data);
    expect(data.metadata).toEqual({
      eventId: 'evt-7',
      schemaVersion: '1',
      position: '12',
      principal: 'desk',
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      idempotencyKey: 'idem-1',
      recordedAt: full.metadata.recordedAt,
      hash: full.metadata.hash,
      prevHash: full.metadata.prevHash,
      writer: 'writer-1',
    });
  });

  it('reads back exactly the event that was written, with a hash that still verifies', () => {
    const read = fromRecordedEvent(asRead(toEventData(full, 'w'), 'newsroom-claim-1', 2n), names);
    expect(read).toEqual(full);
    expect(rehashStored(read)).toBe(full.metadata.hash);
  });

  it('writes no optional keys that are absent, and reads none back', () => {
    const plain = hashed({ eventId: 'evt-8', context: { principal: 'p', correlationId: 'c' } });
    const data = toEventData(plain, 'w');
    expect(Object.keys(data.metadata as object)).not.toContain('causationId');
    expect(Object.keys(data.metadata as object)).not.toContain('idempotencyKey');
    const read = fromRecordedEvent(asRead(data, 'newsroom-claim-1', 0n), names);
    expect(Object.keys(read.metadata).sort()).toEqual([
      'correlationId',
      'hash',
      'prevHash',
      'principal',
      'recordedAt',
    ]);
    expect(read.metadata.prevHash).toBe(GENESIS_HASH);
  });

  it('takes the version from the revision and the position from our metadata, not from $all', () => {
    const read = fromRecordedEvent(asRead(toEventData(full, 'w'), 'newsroom-claim-1', 2n), names);
    expect(read.streamVersion).toBe(3);
    expect(read.position).toBe(12n);
  });

  it('refuses records that are not ours or lost a field', () => {
    const data = toEventData(full, 'w');
    const corrupt = (recorded: RecordedEvent) => () => fromRecordedEvent(recorded, names);
    expect(corrupt(asRead(data, 'other-claim-1', 0n))).toThrow(KurrentDbCorruptEventError);
    expect(corrupt({ ...asRead(data, 'newsroom-claim-1', 0n), isJson: false } as RecordedEvent)).toThrow(
      /not JSON/,
    );
    const { hash: _hash, ...noHash } = data.metadata as Record<string, string>;
    expect(corrupt(asRead({ ...data, metadata: noHash }, 'newsroom-claim-1', 0n))).toThrow(/has no hash/);
    const badPosition = { ...(data.metadata as Record<string, string>), position: '-3' };
    expect(corrupt(asRead({ ...data, metadata: badPosition }, 'newsroom-claim-1', 0n))).toThrow(
      /not a position/,
    );
    expect(corrupt(asRead({ ...data, metadata: undefined }, 'newsroom-claim-1', 0n))).toThrow(/metadata/);
  });

  it("reads a subscription signal's position and writer without parsing the event", () => {
    expect(signalOf(asRead(toEventData(full, 'w-1'), 'newsroom-claim-1', 2n))).toEqual({
      position: 12n,
      writer: 'w-1',
    });
    expect(
      signalOf(asRead({ ...toEventData(full, 'w'), metadata: undefined }, 'newsroom-claim-1', 2n)),
    ).toBeUndefined();
  });
});

describe('the position log', () => {
  const event = hashed({ eventId: 'evt-9', streamId: 'claim-2', streamVersion: 4, position: 7n });

  it('marks position n at revision n, with the append it belongs to', () => {
    const data = markerEvent(event, 6n);
    expect(data.metadata).toBeUndefined();
    expect(parseMarker(asRead(data, names.logStream, 7n))).toEqual({
      position: 7n,
      batchStart: 6n,
      streamId: 'claim-2',
      streamVersion: 4,
      eventId: 'evt-9',
      hash: event.metadata.hash,
      recordedAt: event.metadata.recordedAt,
    });
    expect(() => parseMarker(asRead(data, names.logStream, 8n))).toThrow(KurrentDbCorruptEventError);
    expect(markerEvent(event, 6n).id).not.toBe(data.id);
  });

  it('keeps the log identity in revision 0', () => {
    const created = logCreatedEvent('0f8fad5b-d9cb-469f-a165-70867728950e', '2017-10-15T09:00:00.000Z');
    expect(parseLogCreated(asRead(created, names.logStream, 0n))).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(() => parseLogCreated(asRead(markerEvent(event, 7n), names.logStream, 0n))).toThrow(
      /expected LogCreated/,
    );
  });

  it('reserves an event id with a small event of its own', () => {
    expect(reservationEvent(event)).toMatchObject({
      type: 'EventIdReserved',
      data: { eventId: 'evt-9', streamId: 'claim-2', position: '7' },
    });
  });

  it('seeks from the marker before the wanted append and bounds the read', () => {
    // Position 11 lies in an append of 10..13; the previous append was 8..9.
    const plan = seekPlan(10n, 10n, 5);
    expect(plan.anchorRevision).toBe(9n);
    const anchor = parseMarker(asRead(markerEvent({ ...event, position: 9n }, 8n), names.logStream, 9n));
    expect(plan.maxCount(anchor)).toBe(2 + 1 + 5);
    // The first append: the anchor is LogCreated.
    expect(seekPlan(0n, 1n, 3).anchorRevision).toBe(0n);
    expect(seekPlan(0n, 1n, 3).maxCount(undefined)).toBe(3);
  });
});

describe('the $all filter', () => {
  it('filters on stream names by our data prefix, passing checkpoints on', () => {
    const seen: bigint[] = [];
    const filter = ourStreamsFilter(names, (position) => seen.push(position.commit));
    expect(filter).toMatchObject({ filterOn: 'streamName', prefixes: ['newsroom-'] });
    void filter.checkpointReached?.({} as never, { commit: 5n, prepare: 5n });
    expect(seen).toEqual([5n]);
    expect(ourStreamsFilter(names).checkpointReached).toBeUndefined();
  });
});
