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
  const kinds = new Uint8Array(capacity);
  const positions = new BigInt64Array(capacity);
  const versions = new Float64Array(capacity);
  const hashes = Buffer.from(new ArrayBuffer(capacity * 64));
  const streamIds: string[] = [];
  const recordedAts: string[] = [];
  const eventIds: string[] | undefined = withEventIds ? [] : undefined;
  const odd: HashedRow[] = [];
  let count = 0;
  for (const row of rows) {
    const event = textEventOf(row);
    const i = count;
    count += 1;
    if (event === undefined || !isLowerHex64(event.hash) || !isLowerHex64(event.prevHash)) {
      kinds[i] = ODD;
      odd.push(oddRow(row, event));
      streamIds.push('');
      recordedAts.push('');
      eventIds?.push('');
      continue;
    }
    const matched = recomputeStoredEventHash(event, event.hash) === event.hash;
    kinds[i] = matched ? MATCHED : MISMATCHED;
    positions[i] = event.position;
    versions[i] = event.streamVersion;
    hashes.write(event.hash, i * 64, 32, 'hex');
    hashes.write(event.prevHash, i * 64 + 32, 32, 'hex');
    streamIds.push(event.streamId);
    recordedAts.push(event.recordedAt);
    eventIds?.push(event.eventId);
  }
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
  if (count === capacity && odd.length === 0 && isPowerOfTwo(count))
    page.subtreeRoot = subtreeRoot(hashes, count);
  return page;
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
