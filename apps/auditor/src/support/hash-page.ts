import { MerkleAccumulator, recomputeStoredEventHash, type VerifiableEventText } from '@app/integrity';
import { type HashedPage, type HashedRow, MATCHED, MISMATCHED, ODD } from './hashed-pages';
import { positionOf, textEventOf } from './text-pages';

/**
 * Rows as stored (text-pages.ts's columns) hashed and packed for the verifier: each row's hash
 * recomputed from its text and compared with the stored one, and what the main thread's checks
 * need as columns. Hashing threads run it on their ranges; a pass without threads runs it on its
 * pages in this thread, so both go through the same packing and the same `verifyPage`.
 * `capacity`: at most this many rows.
 */
export function hashPage(
  from: bigint,
  rows: Iterable<unknown[]>,
  capacity: number,
  withEventIds: boolean,
): HashedPage {
  const packer = new PagePacker(capacity, withEventIds);
  for (const row of rows) packer.addRow(row);
  return packer.finish(from);
}

/**
 * A page's columns filled row by row: from a row's texts (`addRow`, the text path) or from a row
 * the bytes path has already found to match (`addMatched`, byte-pages.ts).
 */
export class PagePacker {
  readonly kinds: Uint8Array;
  readonly positions: BigInt64Array;
  readonly versions: Float64Array;
  readonly hashes: Buffer;
  readonly streamIds: string[] = [];
  readonly recordedAts: string[] = [];
  readonly eventIds: string[] | undefined;
  readonly odd: HashedRow[] = [];
  count = 0;

  constructor(
    private readonly capacity: number,
    withEventIds: boolean,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.positions = new BigInt64Array(capacity);
    this.versions = new Float64Array(capacity);
    this.hashes = Buffer.from(new ArrayBuffer(capacity * 64));
    this.eventIds = withEventIds ? [] : undefined;
  }

  /** A row as stored (text-pages.ts's columns): its hash recomputed from its text. */
  addRow(row: unknown[]): void {
    const event = textEventOf(row);
    const i = this.count;
    this.count += 1;
    if (event === undefined || !isLowerHex64(event.hash) || !isLowerHex64(event.prevHash)) {
      this.kinds[i] = ODD;
      this.odd.push(oddRow(row, event));
      this.streamIds.push('');
      this.recordedAts.push('');
      this.eventIds?.push('');
      return;
    }
    const matched = recomputeStoredEventHash(event, event.hash) === event.hash;
    this.kinds[i] = matched ? MATCHED : MISMATCHED;
    this.positions[i] = event.position;
    this.versions[i] = event.streamVersion;
    this.hashes.write(event.hash, i * 64, 32, 'hex');
    this.hashes.write(event.prevHash, i * 64 + 32, 32, 'hex');
    this.streamIds.push(event.streamId);
    this.recordedAts.push(event.recordedAt);
    this.eventIds?.push(event.eventId);
  }

  /**
   * A row whose stored hash the caller recomputed and found equal: `links` holds its hash and
   * previous hash, 64 raw bytes at `at`. `eventId`: when the page carries them (`withEventIds`).
   */
  addMatched(
    position: bigint,
    streamVersion: number,
    links: Buffer,
    at: number,
    streamId: string,
    recordedAt: string,
    eventId: string | undefined,
  ): void {
    const i = this.count;
    this.count += 1;
    this.kinds[i] = MATCHED;
    this.positions[i] = position;
    this.versions[i] = streamVersion;
    links.copy(this.hashes, i * 64, at, at + 64);
    this.streamIds.push(streamId);
    this.recordedAts.push(recordedAt);
    this.eventIds?.push(eventId ?? '');
  }

  finish(from: bigint): HashedPage {
    const { count, kinds, positions, versions, hashes, streamIds, recordedAts, eventIds, odd } = this;
    const page: HashedPage = {
      from,
      count,
      kinds,
      positions,
      versions,
      hashes,
      streamIds,
      recordedAts,
      eventIds,
      odd,
    };
    if (count === this.capacity && odd.length === 0 && isPowerOfTwo(count))
      page.subtreeRoot = subtreeRoot(hashes, count);
    return page;
  }
}

/**
 * The Merkle root of a full page's leaves (the stored hashes, in order): the main thread pushes it
 * whole when every row of the page verifies, instead of hashing a leaf and a node per event.
 */
function subtreeRoot(hashes: Buffer, count: number): Uint8Array {
  const tree = new MerkleAccumulator();
  for (let i = 0; i < count; i += 1) tree.pushEventHashBytes(hashes, i * 64);
  return new Uint8Array(tree.root());
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}

/** The buffers of a page, to transfer rather than copy between threads. */
export function transferablesOf(page: HashedPage): ArrayBuffer[] {
  return [page.kinds, page.positions, page.versions, page.hashes].map(
    (column) => column.buffer as ArrayBuffer,
  );
}

/** A row for the texts path: only its position when the text path cannot read it at all. */
function oddRow(row: unknown[], event: VerifiableEventText | undefined): HashedRow {
  if (event === undefined) return [positionOf(row)];
  return [
    event.position,
    event.eventId,
    event.streamId,
    event.streamVersion,
    event.recordedAt,
    event.hash,
    event.prevHash,
    recomputeStoredEventHash(event, event.hash),
  ];
}

/** 64 lowercase hex digits: what every store writes, and what the packed bytes stand for. */
function isLowerHex64(text: string): boolean {
  if (text.length !== 64) return false;
  for (let i = 0; i < 64; i += 1) {
    const code = text.charCodeAt(i);
    // 0-9 (0x30-0x39) or a-f (0x61-0x66).
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}
