import { hash } from 'node:crypto';
import type { Database } from '@app/event-store';
import { plainContextMembers } from '@app/integrity';
import type { HashedPage } from './hashed-pages';
import { hashPage, PagePacker } from './hash-page';
import { sqliteTextRange, sqliteTextRows } from './text-pages';

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
const HEADER = 49;
const ODD_HEADER = 9;

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

/** Reads a page's records (RECORD); keeps the buffers it reuses from row to row. */
class BytesHasher {
  /** Where a row's hashed text is laid out. */
  private text = Buffer.allocUnsafe(64 * 1024);
  /** The stored hash and previous hash of the row, decoded from hex. */
  private readonly links = Buffer.alloc(64);
  /** The last context column's bytes and its canonical members with the key after them. */
  private lastContext = Buffer.alloc(0);
  /** An empty context column is not plain (`plainContextMembers('')` declines). */
  private lastMembers: Buffer | undefined = undefined;
  /** Rows of the current page that took the text path. */
  missed = 0;
  /** The position of the last row packed. */
  last = 0n;

  /**
   * Packs the record at `at`; returns where the next one starts, or -1 when positions do not
   * ascend (the page is then read again as texts).
   */
  pack(bytes: Buffer, at: number, packer: PagePacker, readRow: (position: bigint) => unknown[]): number {
    const position = bytes.readBigInt64BE(at);
    if (position <= this.last) return -1;
    this.last = position;
    if (bytes[at + 8] !== 1) {
      this.missed += 1;
      packer.addRow(readRow(position));
      return at + ODD_HEADER;
    }
    const streamVersion = Number(bytes.readBigInt64BE(at + 9));
    const schemaVersion = Number(bytes.readBigInt64BE(at + 17));
    const hash = at + HEADER;
    const data = hash + 128;
    const context = data + bytes.readUInt32BE(at + 25);
    const streamId = context + bytes.readUInt32BE(at + 29);
    const recordedAt = streamId + bytes.readUInt32BE(at + 33);
    const eventId = recordedAt + bytes.readUInt32BE(at + 37);
    const type = eventId + bytes.readUInt32BE(at + 41);
    const next = type + bytes.readUInt32BE(at + 45);
    const length = next - hash + 256;
    if (this.text.length < length) this.text = Buffer.allocUnsafe(length * 2);
    const text = this.text;
    let w = put(text, 0, DATA);
    bytes.copy(text, w, data, context);
    w += context - data;
    w = put(text, w, EVENT_ID);
    w = quoted(text, w, bytes, eventId, type);
    w = put(text, w, METADATA);
    const members = this.members(bytes, context, streamId);
    w = members === undefined ? -1 : put(text, w, members);
    w = quoted(text, w, bytes, recordedAt, eventId);
    w = put(text, w, PREV_HASH);
    w = quoted(text, w, bytes, hash + 64, hash + 128);
    w = put(text, w, SCHEMA_VERSION);
    w = integer(text, w, schemaVersion);
    w = put(text, w, STREAM_ID);
    w = quoted(text, w, bytes, streamId, recordedAt);
    w = put(text, w, STREAM_VERSION);
    w = integer(text, w, streamVersion);
    w = put(text, w, TYPE);
    w = quoted(text, w, bytes, type, next);
    w = put(text, w, CLOSE);
    const matched =
      w > 0 &&
      hexBytes(bytes, hash, this.links) &&
      isContainer(bytes, data, context) &&
      sameDigest(text.subarray(0, w), this.links);
    if (!matched) {
      this.missed += 1;
      packer.addRow(readRow(position));
      return next;
    }
    packer.addMatched(
      position,
      streamVersion,
      this.links,
      0,
      bytes.toString('utf8', streamId, recordedAt),
      bytes.toString('utf8', recordedAt, eventId),
      packer.eventIds === undefined ? undefined : bytes.toString('utf8', eventId, type),
    );
    return next;
  }

  /**
   * The canonical members of the context column [from, to), a comma when there are any, and
   * `"recordedAt":`, as UTF-8; undefined where the plain reading declines. Consecutive events of
   * a command share their context, so the last one's answer is kept.
   */
  private members(bytes: Buffer, from: number, to: number): Buffer | undefined {
    const last = this.lastContext;
    const length = to - from;
    if (last.length === length && bytes.compare(last, 0, length, from, to) === 0) return this.lastMembers;
    const members = plainContextMembers(bytes.toString('utf8', from, to));
    this.lastContext = Buffer.from(bytes.subarray(from, to));
    this.lastMembers =
      members === undefined
        ? undefined
        : Buffer.from(`${members}${members.length > 0 ? ',' : ''}${RECORDED_AT}`, 'utf8');
    return this.lastMembers;
  }
}

// The constant parts of the hashed text, in canonicalize's key order.
const DATA = Buffer.from('{"data":');
const EVENT_ID = Buffer.from(',"eventId":');
const METADATA = Buffer.from(',"metadata":{');
const RECORDED_AT = '"recordedAt":';
const PREV_HASH = Buffer.from('},"prevHash":');
const SCHEMA_VERSION = Buffer.from(',"schemaVersion":');
const STREAM_ID = Buffer.from(',"streamId":');
const STREAM_VERSION = Buffer.from(',"streamVersion":');
const TYPE = Buffer.from(',"type":');
const CLOSE = Buffer.from('}');

/** Writes `part` at `w` (w < 0: the row already failed); returns the end, or -1. */
function put(text: Buffer, w: number, part: Buffer): number {
  if (w < 0) return w;
  for (let i = 0; i < part.length; i += 1) text[w + i] = part[i] as number;
  return w + part.length;
}

/**
 * `bytes[from, to)` between quotes: JSON.stringify's token of its text when it holds no quote,
 * backslash or control character; -1 otherwise (the row takes the text path).
 */
function quoted(text: Buffer, w: number, bytes: Buffer, from: number, to: number): number {
  if (w < 0) return w;
  text[w] = QUOTE;
  let out = w + 1;
  for (let i = from; i < to; i += 1) {
    const byte = bytes[i] as number;
    if (byte === QUOTE || byte === BACKSLASH || byte < SPACE) return -1;
    text[out] = byte;
    out += 1;
  }
  text[out] = QUOTE;
  return out + 1;
}

/** A safe integer in decimal, as JSON.stringify writes it. */
function integer(text: Buffer, w: number, value: number): number {
  if (w < 0) return w;
  return w + text.write(String(value), w, 'latin1');
}

/** The 128 hex digits at `from` (hash, then previous hash) into 64 bytes; false unless all are 0-9a-f. */
function hexBytes(bytes: Buffer, from: number, out: Buffer): boolean {
  for (let i = 0; i < 64; i += 1) {
    const high = HEX[bytes[from + 2 * i] as number] as number;
    const low = HEX[bytes[from + 2 * i + 1] as number] as number;
    if ((high | low) > 15) return false;
    out[i] = (high << 4) | low;
  }
  return true;
}

/**
 * Whether valid JSON text (FAST_ROW's json_valid, RFC 8259) at [from, to) is one object or array
 * exactly: it opens with `{` or `[` (no whitespace before) and ends with `}` or `]` (none after).
 * Then its brackets outside strings first close at its last byte: the guard of decision 0021.
 */
function isContainer(bytes: Buffer, from: number, to: number): boolean {
  const first = bytes[from];
  const last = bytes[to - 1];
  return (
    to > from &&
    (first === LEFT_BRACE || first === LEFT_BRACKET) &&
    (last === RIGHT_BRACE || last === RIGHT_BRACKET)
  );
}

/** The value of each lowercase hex digit; 255 for every other byte. */
const HEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 16; i += 1) HEX['0123456789abcdef'.charCodeAt(i)] = i;

function sameDigest(text: Buffer, links: Buffer): boolean {
  const digest = hash('sha256', text, 'buffer') as unknown as Buffer;
  for (let i = 0; i < 32; i += 1) if (digest[i] !== links[i]) return false;
  return true;
}

const QUOTE = 0x22;
const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
