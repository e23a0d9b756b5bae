import type { Database } from '@app/event-store';
import type { HashedPage } from './hashed-pages';
import { hashPage, PagePacker } from './hash-page';
import { sqliteTextRange, sqliteTextRows } from './text-pages';
import { BytesHasher } from './byte-row';

/**
 * verify's bytes path on SQLite (decision 0029): SQLite hands over a page of rows as one BLOB of
 * their columns' bytes, so a row costs no V8 string for its data, and its hashed text is laid out
 * from those bytes and hashed without being encoded back to UTF-8. It is the text
 * `recomputeStoredEventHash` (decision 0021) composes from the row's strings, byte for byte:
 *
 *   {"data":<data>,"eventId":"<event_id>","metadata":{<members>,"recordedAt":"<recorded_at>"},
 *   "prevHash":"<prev_hash>","schemaVersion":<n>,"streamId":"<stream_id>","streamVersion":<n>,
 *   "type":"<type>"}
 *
 * where a string column is written between quotes as it is only when it holds no quote, backslash
 * or control character (then that is exactly JSON.stringify's token), and <members> come from
 * `plainContextMembers`, as there. A row is MATCHED here only when the data column passes the
 * one-container guard (SQLite's json_valid and its first and last byte) and this text hashes to
 * the stored hash. Then the text is the
 * canonical text the writer hashed, hence valid UTF-8, and so is every column in it: decoded, the
 * columns are the strings the text path reads and compose to the same text, so the text path would
 * match the row too. Every other row (a column of another type, a hash column that is not 64
 * lowercase hex digits, a string the plain quoting or context reading declines, a hash that does
 * not match) is read again as texts and packed by the text path (`PagePacker.addRow`): verdicts
 * are the text path's, only reached with less work.
 */

/** The column types the store writes, and what the text path would accept (safe integers). */
const FAST_ROW = [
  ...['event_id', 'stream_id', 'type', 'data', 'metadata', 'hash', 'prev_hash', 'recorded_at'].map(
    (column) => `typeof(${column}) = 'text'`,
  ),
  ...['stream_version', 'schema_version'].map(
    (column) => `typeof(${column}) = 'integer' AND ${column} BETWEEN -9007199254740991 AND 9007199254740991`,
  ),
  ...['hash', 'prev_hash'].map((column) => `octet_length(${column}) = 64`),
  // With a first byte `{` or `[` and a last `}` or `]` (checked in `pack`): one JSON object or array
  // and nothing else, so `isOneJsonContainer` holds (decision 0029).
  'json_valid(data)',
].join(' AND ');

/**
 * A row's record: position, 1, stream version, schema version (8 bytes each, big-endian), the byte
 * lengths (4 each) of data, metadata, stream id, recorded at, event id and type, then hash and
 * previous hash (64 bytes each) and those six columns' bytes. A row that is not FAST_ROW: its
 * position and 0. No ORDER BY in the aggregate (a sort of the page costs as much as the rest):
 * `pack` checks that positions ascend and reads the page as texts if they do not.
 */
const RECORD =
  `CASE WHEN ${FAST_ROW} THEN unhex(printf('%016x01%016x%016x%08x%08x%08x%08x%08x%08x', position,` +
  ` stream_version, schema_version, octet_length(data), octet_length(metadata),` +
  ` octet_length(stream_id), octet_length(recorded_at), octet_length(event_id), octet_length(type)))` +
  ` || hash || prev_hash || data || metadata || stream_id || recorded_at || event_id || type` +
  ` ELSE unhex(printf('%016x00', position)) END`;

const PAGE_SQL =
  `SELECT count(*), CAST(group_concat(${RECORD}, '') AS BLOB) FROM (` +
  `SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?)`;

/** Hashes the rows in (after, to], at most `limit` of them, into a packed page. */
export type HashPages = (after: bigint, to: bigint, limit: number, withEventIds: boolean) => HashedPage;

/** Positions are below 2^63: "to the end of the log". */
export const LOG_END = 0x7fff_ffff_ffff_ffffn;

/** `onTextRow` sees each row this path leaves to the text path (its tests look). */
export function sqliteHashedPages(db: Database, onTextRow?: (position: bigint) => void): HashPages {
  const page = db.prepare<[bigint, bigint, number], unknown[]>(PAGE_SQL).raw(true).safeIntegers(true);
  const readText = sqliteTextRows(db);
  const readRow =
    onTextRow === undefined
      ? readText
      : (position: bigint) => {
          onTextRow(position);
          return readText(position);
        };
  const readRange = sqliteTextRange(db);
  const hasher = new BytesHasher();
  // Pages left to read as texts: an older log (data in JSON.stringify's key order) matches no row
  // here, and would pay for both paths; a page where most rows missed sends the next few there.
  let textPages = 0;
  return (after, to, limit, withEventIds) => {
    if (textPages > 0) {
      textPages -= 1;
      return hashPage(after, readRange(after, to, limit), limit, withEventIds);
    }
    const packer = new PagePacker(limit, withEventIds);
    hasher.missed = 0;
    hasher.last = after;
    // In chunks: one BLOB of a whole page would hold several MB at a time, per thread.
    for (let left = limit; left > 0;) {
      const chunk = Math.min(CHUNK, left);
      const [rows, bytes] = page.get(hasher.last, to, chunk) as [bigint, Buffer | null];
      if (rows === 0n) break;
      const count = packer.count;
      let at = 0;
      while (bytes !== null && at >= 0 && at < bytes.length) at = hasher.pack(bytes, at, packer, readRow);
      // Positions out of order, or records that are not the rows counted: read it all as texts.
      if (at < 0 || packer.count - count !== Number(rows)) {
        return hashPage(after, readRange(after, to, limit), limit, withEventIds);
      }
      if (rows < BigInt(chunk)) break;
      left -= chunk;
    }
    if (hasher.missed * 2 > packer.count) textPages = TEXT_PAGES_AFTER_MISSES;
    return packer.finish(after);
  };
}

/** Rows per query: a BLOB of about a MB. */
const CHUNK = 1_024;

/** How many pages an older log reads as texts before the bytes path is tried again. */
const TEXT_PAGES_AFTER_MISSES = 16;
