import { hash } from 'node:crypto';
import {
  BACKSLASH,
  LEFT_BRACE,
  LEFT_BRACKET,
  plainContextMembers,
  QUOTE,
  RIGHT_BRACE,
  RIGHT_BRACKET,
  SPACE,
} from '@app/integrity';
import type { PagePacker } from './hash-page';

/**
 * One row of byte-pages.ts's RECORD at a time: its hashed text laid out from the column bytes and
 * hashed, the row packed as MATCHED, or left to the text path (`PagePacker.addRow`) when anything
 * about it is not exactly what the stores write. byte-pages.ts says why a MATCHED row here is one
 * the text path would match too (decision 0029).
 */

/**
 * The JSON token codes, read once into tables and a constant: each use of an import compiles to a
 * getter on @app/integrity's index (`integrity_1.QUOTE`), which V8 left uninlined in these per-byte
 * loops, and that doubled a hashing thread's CPU (decision 0037).
 */
const QUOTE_BYTE = QUOTE;
/** 1 for a byte a string column may hold and be written between quotes as it is: no quote, backslash or control byte. */
const AS_IS = new Uint8Array(256).fill(1, SPACE);
AS_IS[QUOTE] = 0;
AS_IS[BACKSLASH] = 0;
/** 1 for the first and last bytes of one JSON object or array. */
const OPENS = new Uint8Array(256);
OPENS[LEFT_BRACE] = 1;
OPENS[LEFT_BRACKET] = 1;
const CLOSES = new Uint8Array(256);
CLOSES[RIGHT_BRACE] = 1;
CLOSES[RIGHT_BRACKET] = 1;

/** RECORD's header of a FAST_ROW: 3 integers of 8 bytes, a flag byte, 6 lengths of 4. */
const HEADER = 49;
/** RECORD of any other row: its position and a 0 byte. */
const ODD_HEADER = 9;

/** Reads a page's records (RECORD); keeps the buffers it reuses from row to row. */
export class BytesHasher {
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
  text[w] = QUOTE_BYTE;
  let out = w + 1;
  for (let i = from; i < to; i += 1) {
    const byte = bytes[i] as number;
    if (AS_IS[byte] === 0) return -1;
    text[out] = byte;
    out += 1;
  }
  text[out] = QUOTE_BYTE;
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
  return to > from && OPENS[bytes[from] as number] === 1 && CLOSES[bytes[to - 1] as number] === 1;
}

/** The value of each lowercase hex digit; 255 for every other byte. */
const HEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 16; i += 1) HEX['0123456789abcdef'.charCodeAt(i)] = i;

function sameDigest(text: Buffer, links: Buffer): boolean {
  const digest = hash('sha256', text, 'buffer') as unknown as Buffer;
  for (let i = 0; i < 32; i += 1) if (digest[i] !== links[i]) return false;
  return true;
}
