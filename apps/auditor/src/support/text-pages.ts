import type { Database } from '@app/event-store';
import type { VerifiableEventText } from '@app/integrity';

/**
 * One page of the log as stored, for verify's fast path: rows after `after`, in position order,
 * every column as the store holds it (data and metadata unparsed). Arrays, not objects, and every
 * integer a bigint (positions can exceed 2^53), as better-sqlite3's raw mode gives them.
 */
export type TextPageReader = (after: bigint, limit: number) => unknown[][] | Promise<unknown[][]>;

/** The columns SqliteEventStore.readAll parses, in the order textEventOf reads them. */
const COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at';

/** Straight from the `events` table, a page at a time. */
export function sqliteTextPages(db: Database): (after: bigint, limit: number) => unknown[][] {
  const statement = db
    .prepare<[bigint, number], unknown[]>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    )
    .raw(true)
    .safeIntegers(true);
  return (after, limit) => statement.all(after, limit);
}

/**
 * The rows with positions in (after, to], at most `limit`: iterated, so each row's strings die as
 * soon as it is hashed instead of surviving a collection with the page.
 */
export function sqliteTextRange(
  db: Database,
): (after: bigint, to: bigint, limit: number) => IterableIterator<unknown[]> {
  const statement = db
    .prepare<[bigint, bigint, number], unknown[]>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    )
    .raw(true)
    .safeIntegers(true);
  return (after, to, limit) => statement.iterate(after, to, limit);
}

/** One row, for the bytes path's rows that take the text path (byte-pages.ts). */
export function sqliteTextRows(db: Database): (position: bigint) => unknown[] {
  const statement = db
    .prepare<[bigint], unknown[]>(`SELECT ${COLUMNS} FROM events WHERE position = ?`)
    .raw(true)
    .safeIntegers(true);
  return (position) => {
    const row = statement.get(position);
    if (row === undefined) throw new Error(`position ${position} vanished while it was being verified`);
    return row;
  };
}

/**
 * A row as the verifier's text path takes it; undefined when a column is not of the type the store
 * writes (an edited file): that row then goes through the store's own reader and the parsed path,
 * which reports it exactly as before.
 */
export function textEventOf(row: readonly unknown[]): VerifiableEventText | undefined {
  const [
    position,
    eventId,
    streamId,
    streamVersion,
    type,
    schemaVersion,
    data,
    context,
    hash,
    prevHash,
    recordedAt,
  ] = row;
  if (
    typeof position !== 'bigint' ||
    typeof eventId !== 'string' ||
    typeof streamId !== 'string' ||
    typeof type !== 'string' ||
    typeof data !== 'string' ||
    typeof context !== 'string' ||
    typeof hash !== 'string' ||
    typeof prevHash !== 'string' ||
    typeof recordedAt !== 'string'
  ) {
    return undefined;
  }
  const version = safeNumber(streamVersion);
  const schema = safeNumber(schemaVersion);
  if (version === undefined || schema === undefined) return undefined;
  return {
    position,
    eventId,
    streamId,
    streamVersion: version,
    type,
    schemaVersion: schema,
    data,
    context,
    recordedAt,
    hash,
    prevHash,
  };
}

/** The store reads these columns with Number(): only where that is exact does the fast path agree. */
function safeNumber(value: unknown): number | undefined {
  if (typeof value !== 'bigint') return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

/** The position of a raw row (the INTEGER PRIMARY KEY, never anything else). */
export function positionOf(row: readonly unknown[]): bigint {
  const position = row[0];
  if (typeof position !== 'bigint') throw new Error('an events row without an integer position');
  return position;
}
