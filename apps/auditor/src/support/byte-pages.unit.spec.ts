import BetterSqlite3 from 'better-sqlite3';
import canonicalize from 'canonicalize';
import type { Database } from '@app/event-store';
import { GENESIS_HASH, hashEvent } from '@app/integrity';
import { LOG_END, sqliteHashedPages } from './byte-pages';
import { hashPage } from './hash-page';
import { MATCHED, MISMATCHED, ODD } from './hashed-pages';
import { sqliteTextRange } from './text-pages';

/**
 * The bytes path (decision 0029) against the text path on the same SQLite rows: every page it
 * packs must equal the text path's, column for column, whatever was edited in the file; the bytes
 * path only reaches MATCHED rows with less work.
 */
interface Spec {
  eventId?: string;
  streamId?: string;
  context?: { principal: string; correlationId: string; causationId?: string; idempotencyKey?: string };
  canonical?: boolean;
}

function openLog(specs: readonly Spec[]): Database {
  const db = new BetterSqlite3(':memory:');
  // The file as an attacker may leave it: no types, no constraints.
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id, stream_id, stream_version,
    type, schema_version, data, metadata, hash, prev_hash, recorded_at)`);
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const tips = new Map<string, { version: number; hash: string }>();
  specs.forEach((spec, index) => {
    const streamId = spec.streamId ?? `claim-${index % 7}`;
    const tip = tips.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    const data = { text: 'قوات سوريا الديمقراطية 😀', n: index, nested: { z: 1, a: [1.5, null, 'x"y\\z'] } };
    const context = spec.context ?? { principal: 'p', correlationId: `c${Math.floor(index / 3)}` };
    const recordedAt = new Date(Date.UTC(2017, 9, 15) + index * 1000).toISOString();
    const event = {
      eventId: spec.eventId ?? `e${index + 1}`,
      streamId,
      streamVersion: tip.version + 1,
      type: 'Thing',
      schemaVersion: 2,
    };
    const hash = hashEvent({ ...event, data, metadata: { ...context, recordedAt }, prevHash: tip.hash });
    tips.set(streamId, { version: event.streamVersion, hash });
    const dataText = spec.canonical === false ? JSON.stringify(data) : (canonicalize(data) as string);
    // Integers as bigints: the untyped columns keep what they are given, and the store writes integers.
    insert.run(
      BigInt(index + 1),
      event.eventId,
      streamId,
      BigInt(event.streamVersion),
      event.type,
      BigInt(event.schemaVersion),
      dataText,
      JSON.stringify(context),
      hash,
      tip.hash,
      recordedAt,
    );
  });
  return db;
}

function bothPaths(db: Database, limit = 64, after = 0n) {
  const textRows: bigint[] = [];
  const bytes = sqliteHashedPages(db, (position) => textRows.push(position))(after, LOG_END, limit, true);
  const text = hashPage(after, sqliteTextRange(db)(after, LOG_END, limit), limit, true);
  return { bytes, text, textRows };
}

const plain = (count: number): Spec[] => Array.from({ length: count }, () => ({}));

describe('sqliteHashedPages (verify reads SQLite rows as bytes)', () => {
  it('matches every row of an intact log, as the text path does', () => {
    const { bytes, text, textRows } = bothPaths(openLog(plain(64)));
    expect(textRows).toEqual([]);
    expect([...bytes.kinds]).toEqual(Array(64).fill(MATCHED));
    expect(bytes.subtreeRoot).toBeDefined();
    expect(bytes).toEqual(text);
  });

  // Each edit of row 5 (position 5); the other rows stay as written.
  const edits: [string, string, bigint[]?][] = [
    ['the data changed', `UPDATE events SET data = replace(data, '"n":4', '"n":40') WHERE position = 5`],
    ['whitespace after the data', `UPDATE events SET data = data || ' ' WHERE position = 5`],
    ['whitespace before the data', `UPDATE events SET data = ' ' || data WHERE position = 5`],
    [
      'data in another key order',
      `UPDATE events SET data = json_insert(json_remove(data, '$.n'), '$.n', 4) WHERE position = 5`,
    ],
    ['data not JSON', `UPDATE events SET data = substr(data, 1, length(data) - 1) WHERE position = 5`],
    [
      'text moved from the data into the event id',
      `UPDATE events SET data = substr(data, 1, length(data) - 1),
         event_id = '},"eventId":"' || event_id WHERE position = 5`,
    ],
    ['data as a BLOB', `UPDATE events SET data = CAST(data AS BLOB) WHERE position = 5`],
    [
      'invalid UTF-8 in the data',
      `UPDATE events SET data = CAST(X'7B2261223A22FF227D' AS TEXT) WHERE position = 5`,
    ],
    ['a stream version as text', `UPDATE events SET stream_version = '1' WHERE position = 5`],
    ['a stream version as a real', `UPDATE events SET stream_version = 1.0 WHERE position = 5`],
    ['a schema version as text', `UPDATE events SET schema_version = '2' WHERE position = 5`],
    ['an unsafe stream version', `UPDATE events SET stream_version = 9007199254740993 WHERE position = 5`],
    ['the hash in upper case', `UPDATE events SET hash = upper(hash) WHERE position = 5`],
    ['the previous hash shortened', `UPDATE events SET prev_hash = substr(prev_hash, 2) WHERE position = 5`],
    ['the hash as a BLOB', `UPDATE events SET hash = CAST(hash AS BLOB) WHERE position = 5`],
    ['a NULL type', `UPDATE events SET type = NULL WHERE position = 5`],
    ['the stream id changed', `UPDATE events SET stream_id = 'claim-x' WHERE position = 5`],
    [
      'the recorded time changed',
      `UPDATE events SET recorded_at = '2017-10-15T00:00:00.000Z' WHERE position = 5`,
    ],
    ['an empty context', `UPDATE events SET metadata = '' WHERE position = 5`],
    ['a context with whitespace', `UPDATE events SET metadata = ' ' || metadata WHERE position = 5`],
    [
      'a context with another key',
      `UPDATE events SET metadata = json_set(metadata, '$.x', 'y') WHERE position = 5`,
    ],
    [
      'a context in another key order',
      `UPDATE events SET metadata = '{"correlationId":"c1","principal":"p"}' WHERE position = 5`,
      [],
    ],
  ];

  it.each(edits)('packs a row with %s as the text path does', (_label, edit, leftToText = [5n]) => {
    const db = openLog(plain(64));
    db.exec(edit);
    const { bytes, text, textRows } = bothPaths(db);
    expect(bytes).toEqual(text);
    expect(bytes.count).toBe(64);
    // At most the edited row is left to the text path; the rest matched as bytes.
    expect(textRows).toEqual(leftToText);
    expect([...bytes.kinds].filter((kind, i) => i !== 4 && kind !== MATCHED)).toEqual([]);
  });

  it('still catches a tampered row at its position', () => {
    const db = openLog(plain(64));
    db.exec(`UPDATE events SET data = replace(data, '"n":20', '"n":21') WHERE position = 21`);
    const { bytes, textRows } = bothPaths(db);
    expect(textRows).toEqual([21n]);
    expect(bytes.kinds[20]).toBe(MISMATCHED);
    expect([...bytes.kinds].filter((kind) => kind !== MATCHED)).toEqual([MISMATCHED]);
    expect(bytes.positions[20]).toBe(21n);
    expect(bytes.subtreeRoot).toBeDefined();
  });

  it('leaves to the text path the texts it would not write as they are', () => {
    // Ids JSON.stringify escapes, a context it declines to read plainly: hashed right, so MATCHED.
    const db = openLog([
      ...plain(3),
      { eventId: 'e"4' },
      { streamId: 'claim\n5' },
      { eventId: 'e\\6' },
      { context: { principal: 'p\u2028', correlationId: 'c' } },
      { context: { principal: 'p', correlationId: 'c', causationId: 'k', idempotencyKey: 'i' } },
      ...plain(56),
    ]);
    const { bytes, text, textRows } = bothPaths(db);
    expect(textRows).toEqual([4n, 5n, 6n]);
    expect([...bytes.kinds]).toEqual(Array(64).fill(MATCHED));
    expect(bytes).toEqual(text);
  });

  it('reads a page in chunks and a log of older data text as the text path does', () => {
    const specs = Array.from({ length: 3000 }, (_, index) => ({ canonical: index >= 1500 }));
    const db = openLog(specs);
    const hashPages = sqliteHashedPages(db);
    const readRange = sqliteTextRange(db);
    for (let after = 0n; after < 3000n; after += 512n) {
      const bytes = hashPages(after, LOG_END, 512, true);
      const text = hashPage(after, readRange(after, LOG_END, 512), 512, true);
      expect(bytes).toEqual(text);
    }
    const whole = bothPaths(db, 2048, 1000n);
    expect(whole.bytes).toEqual(whole.text);
    expect(whole.bytes.count).toBe(2000);
  });

  it('marks rows the text path cannot read at all as ODD, as before', () => {
    const db = openLog(plain(8));
    db.exec(`UPDATE events SET event_id = 7 WHERE position = 3`);
    const { bytes, text } = bothPaths(db, 8);
    expect(bytes.kinds[2]).toBe(ODD);
    expect(bytes).toEqual(text);
  });
});
