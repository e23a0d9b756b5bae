import { generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import type { StoredEvent } from '@app/event-store';
import {
  GENESIS_HASH,
  hashEvent,
  LogVerifier,
  type LogVerifierOptions,
  MerkleAccumulator,
  signTreeHead,
  type VerificationReport,
} from '@app/integrity';
import { type PassState, verifyPage } from './audit-pass';
import { hashPage } from './hash-page';
import type { LogSource } from './log-source';

/** A row as the SQLite store keeps it, in text-pages.ts's column order (raw, safe integers). */
type RawRow = [bigint, string, string, bigint, string, bigint, string, string, string, string, string];

function buildRows(streams: readonly number[], canonical: boolean): RawRow[] {
  const tips = new Map<string, { version: number; hash: string }>();
  return streams.map((stream, index) => {
    const streamId = `claim-${stream}`;
    const tip = tips.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    const data = { text: 'قوات سوريا الديمقراطية', n: index, nested: { z: 1, a: [1.5, null] } };
    const context = { principal: 'p', correlationId: `c${index}` };
    const recordedAt = new Date(Date.UTC(2017, 9, 15) + index * 1000).toISOString();
    const event = { eventId: `e${index + 1}`, streamId, streamVersion: tip.version + 1, type: 'Thing' };
    const hash = hashEvent({
      ...event,
      schemaVersion: 1,
      data,
      metadata: { ...context, recordedAt },
      prevHash: tip.hash,
    });
    tips.set(streamId, { version: tip.version + 1, hash });
    const dataText = canonical ? (canonicalize(data) as string) : JSON.stringify(data);
    return [
      BigInt(index + 1),
      event.eventId,
      streamId,
      BigInt(event.streamVersion),
      event.type,
      1n,
      dataText,
      JSON.stringify(context),
      hash,
      tip.hash,
      recordedAt,
    ];
  });
}

/** As SqliteEventStore's toStoredEvent parses a row. */
function parsed(row: RawRow): StoredEvent {
  const context = JSON.parse(row[7]) as StoredEvent['metadata'];
  return {
    position: row[0],
    eventId: row[1],
    streamId: row[2],
    streamVersion: Number(row[3]),
    type: row[4],
    schemaVersion: Number(row[5]),
    data: JSON.parse(row[6]) as unknown,
    metadata: { ...context, recordedAt: row[10], hash: row[8], prevHash: row[9] },
  };
}

const EDITS: ((rows: RawRow[], at: number) => RawRow[])[] = [
  (rows, at) => patch(rows, at, 6, rows[at]![6].replace('"n":', '"m":')),
  (rows, at) => patch(rows, at, 8, rows[at]![8].toUpperCase()),
  (rows, at) => patch(rows, at, 9, 'f'.repeat(64)),
  (rows, at) => patch(rows, at, 3, rows[at]![3] + 1n),
  (rows, at) => patch(rows, at, 10, '2017-10-14T00:00:00.000Z'),
  (rows, at) => rows.filter((_, index) => index !== at),
  (rows, at) => {
    const copy = [...rows];
    const other = (at + 3) % rows.length;
    copy[at] = [rows[at]![0], ...rows[other]!.slice(1)] as RawRow;
    copy[other] = [rows[other]![0], ...rows[at]!.slice(1)] as RawRow;
    return copy;
  },
];

function patch(rows: RawRow[], at: number, column: number, value: unknown): RawRow[] {
  return rows.map((row, index) => {
    if (index !== at) return row;
    const copy = [...row] as unknown[];
    copy[column] = value;
    return copy as RawRow;
  });
}

const keys = generateKeyPairSync('ed25519');

/** A checkpoint of the first `size` rows of the intact log, as `audit checkpoint` signs one. */
function checkpointOf(rows: readonly RawRow[], size: number): LogVerifierOptions['against'] {
  const tree = new MerkleAccumulator();
  for (const row of rows.slice(0, size)) tree.pushEventHash(row[8]);
  const head = signTreeHead(
    {
      treeSize: String(size),
      rootHash: tree.root().toString('hex'),
      timestamp: '2017-10-16T00:00:00.000Z',
      lastPosition: String(size === 0 ? 0n : rows[size - 1]![0]),
    },
    keys.privateKey,
  );
  return { head, publicKey: keys.publicKey };
}

/** The definition: every event read parsed, through `accept`. */
function definition(rows: readonly RawRow[], options: LogVerifierOptions = {}): VerificationReport {
  const verifier = new LogVerifier(options);
  for (const row of rows) {
    verifier.accept(parsed(row));
    if (verifier.settled) break;
  }
  return verifier.finish();
}

/** As the auditor's passes: pages of `size` rows packed by hashPage, checked by verifyPage. */
async function paged(
  rows: readonly RawRow[],
  size: number,
  options: LogVerifierOptions = {},
): Promise<VerificationReport> {
  const byPosition = new Map(rows.map((row) => [row[0], parsed(row)]));
  const source = {
    store: {
      readAll: ({ to }: { to: bigint }) => Promise.resolve([byPosition.get(to) as StoredEvent]),
    },
  } as unknown as LogSource;
  const verifier = new LogVerifier(options);
  const state: PassState = { ordinal: 0, after: 0n };
  for (let at = 0; at < rows.length; at += size) {
    const page = hashPage(state.after, rows.slice(at, at + size), size, false);
    if (await verifyPage(source, page, verifier, { json: true }, state)) break;
  }
  return verifier.finish();
}

describe('verifyPage (packed pages, leaves pushed whole as a subtree root)', () => {
  it('gives the definition’s report on intact and edited logs, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(EDITS.length - 1), fc.nat()), { maxLength: 2 }),
        fc.boolean(),
        fc.constantFrom(1, 2, 3, 4, 8),
        fc.option(fc.nat(), { nil: undefined }),
        async (streams, edits, canonical, size, checkpoint) => {
          let rows = buildRows(streams, canonical);
          // Against a checkpoint of the intact log (its size anywhere, page boundaries included).
          const options: LogVerifierOptions =
            checkpoint === undefined ? {} : { against: checkpointOf(rows, checkpoint % (rows.length + 1)) };
          for (const [edit, at] of edits) {
            if (rows.length > 1) rows = EDITS[edit]!(rows, at % rows.length);
          }
          expect(await paged(rows, size, options)).toEqual(definition(rows, options));
        },
      ),
      { numRuns: 800 },
    );
  });

  it('pushes a full page of a clean log as one subtree', () => {
    const rows = buildRows([0, 1, 0, 2, 1, 3, 0, 4], true);
    const page = hashPage(0n, rows, 8, false);
    expect(page.subtreeRoot).toBeDefined();
    expect(hashPage(0n, rows.slice(0, 6), 8, false).subtreeRoot).toBeUndefined();
  });
});
