import canonicalize from 'canonicalize';
import { GENESIS_HASH, hashEvent, rehashStored } from '@app/integrity';
import { TestClock } from '../testing/test-clock';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The data column (decision 0023): appends store the RFC 8785 text the hash was computed over; rows
 * written before that (JSON.stringify's text, keys in the caller's order) read back exactly as they
 * always did.
 */
describe('SqliteEventStore data text', () => {
  function openStore() {
    const db = openSqliteDatabase(':memory:');
    const store = new SqliteEventStore(db, new TestClock('2017-10-15T10:00:00.000Z'), { ownsDatabase: true });
    store.migrate();
    return { db, store };
  }

  it('stores the canonical text of the data, which is what the hash covers', async () => {
    const { db, store } = openStore();
    const data = {
      stance: 'affirms',
      quote: { text: 'الرقة\u2028"', language: 'ar' },
      value: [1e21, -0],
      skip: undefined,
    };

    const { events } = await store.append(
      'claim-1',
      [
        {
          eventId: 'e-1',
          type: 'StatementReported',
          schemaVersion: 1,
          data,
          metadata: { principal: 'p', correlationId: 'c' },
        },
      ],
      0,
    );

    const text = db.prepare('SELECT data FROM events WHERE event_id = ?').pluck().get('e-1');
    expect(text).toBe(
      '{"quote":{"language":"ar","text":"الرقة\u2028\\""},"stance":"affirms","value":[1e+21,0]}',
    );
    expect(text).toBe(canonicalize(data));
    const [read] = await store.readStream('claim-1');
    expect(read).toEqual(events[0]);
    expect(read && rehashStored(read)).toBe(read?.metadata.hash);
    await store.close();
  });

  it('reads a row written before, with non-canonical text, exactly as it was, and chains onto it', async () => {
    const { db, store } = openStore();
    const data = { stance: 'affirms', quote: { text: 'الرقة', language: 'ar' }, value: { exact: 12.5 } };
    const metadata = { principal: 'p', correlationId: 'c', causationId: 'x' };
    const recordedAt = '2017-10-15T09:00:00.000Z';
    const old = {
      eventId: 'old-1',
      streamId: 'claim-1',
      streamVersion: 1,
      type: 'StatementReported',
      schemaVersion: 1,
    };
    const hash = hashEvent({ ...old, data, metadata: { ...metadata, recordedAt }, prevHash: GENESIS_HASH });
    // As the store wrote rows until now: JSON.stringify, keys in the order the caller gave them.
    db.prepare(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      'old-1',
      'claim-1',
      1,
      'StatementReported',
      1,
      JSON.stringify(data),
      JSON.stringify(metadata),
      hash,
      GENESIS_HASH,
      recordedAt,
    );

    const [read] = await store.readStream('claim-1');

    expect(read).toEqual({
      ...old,
      position: 1n,
      data,
      metadata: { ...metadata, recordedAt, hash, prevHash: GENESIS_HASH },
    });
    expect(JSON.stringify(read?.data)).toBe(JSON.stringify(data));
    expect(read && rehashStored(read)).toBe(hash);
    const next = await store.append(
      'claim-1',
      [{ eventId: 'new-1', type: 'StatementReported', schemaVersion: 1, data, metadata }],
      1,
    );
    expect(next.events[0]?.metadata.prevHash).toBe(hash);
    for (const event of await store.readAll()) expect(rehashStored(event)).toBe(event.metadata.hash);
    await store.close();
  });
});
