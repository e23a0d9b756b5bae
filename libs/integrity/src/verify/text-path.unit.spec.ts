import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { GENESIS_HASH, hashEvent } from '../event-hash';
import { ARABIC } from '../canonical/testing/json-arbitraries';
import {
  LogVerifier,
  type VerifiableEvent,
  type VerifiableEventText,
  type VerificationReport,
} from './log-verifier';

/** A stored row: what the SQLite store keeps, data and context as JSON text. */
interface Row {
  position: bigint;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: string;
  context: string;
  recordedAt: string;
  hash: string;
  prevHash: string;
}

/** As SqliteEventStore.readAll parses a row. */
function parsed(row: Row): VerifiableEvent {
  const context = JSON.parse(row.context) as VerifiableEvent['metadata'];
  return {
    eventId: row.eventId,
    streamId: row.streamId,
    streamVersion: row.streamVersion,
    position: row.position,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: JSON.parse(row.data) as unknown,
    metadata: { ...context, recordedAt: row.recordedAt, hash: row.hash, prevHash: row.prevHash },
  };
}

/** `canonical`: data stored as its canonical text, as stores write it now; else as JSON.stringify wrote it. */
function buildRows(streams: readonly number[], canonical = false): Row[] {
  const tips = new Map<string, { version: number; hash: string }>();
  return streams.map((stream, index) => {
    const streamId = `claim-${stream}`;
    const tip = tips.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    const data = { text: ARABIC[index % ARABIC.length], n: index, nested: { z: 1, a: [1.5, null] } };
    const context = { principal: 'p', correlationId: `c${index}` };
    const recordedAt = new Date(Date.UTC(2017, 9, 15) + index * 1000).toISOString();
    const hash = hashEvent({
      eventId: `e${index + 1}`,
      streamId,
      streamVersion: tip.version + 1,
      type: 'Thing',
      schemaVersion: 1,
      data,
      metadata: { ...context, recordedAt },
      prevHash: tip.hash,
    });
    tips.set(streamId, { version: tip.version + 1, hash });
    return {
      position: BigInt(index + 1),
      eventId: `e${index + 1}`,
      streamId,
      streamVersion: tip.version + 1,
      type: 'Thing',
      schemaVersion: 1,
      data: canonical ? (canonicalize(data) as string) : JSON.stringify(data),
      context: JSON.stringify(context),
      recordedAt,
      hash,
      prevHash: tip.hash,
    };
  });
}

/** Edits an attacker (or a bug) could make to the stored rows. */
const EDITS: ((rows: Row[], at: number) => Row[])[] = [
  (rows, at) => patch(rows, at, { data: rows[at]!.data.replace('"n":', '"m":') }),
  (rows, at) => patch(rows, at, { data: ` ${rows[at]!.data}` }),
  // Text moved between the data column and the event id, either way.
  (rows, at) => patch(rows, at, { data: rows[at]!.data.slice(0, -1), eventId: `}${rows[at]!.eventId}` }),
  (rows, at) => patch(rows, at, { data: `${rows[at]!.data},"eventId":`, eventId: rows[at]!.eventId }),
  // Valid JSON, not canonical: an older log's text for the same value verifies (through the scan).
  // Only a column that is JSON can be re-indented (an earlier edit may have cut it short).
  (rows, at) => {
    const indented = reindented(rows[at]!.data);
    return indented === undefined ? rows : patch(rows, at, { data: indented });
  },
  (rows, at) => patch(rows, at, { context: '{"principal":"p","correlationId":"x","smuggled":1}' }),
  (rows, at) => patch(rows, at, { context: '{"principal":"p","principal":"q"}' }),
  (rows, at) => patch(rows, at, { hash: rows[at]!.hash.toUpperCase() }),
  (rows, at) => patch(rows, at, { prevHash: 'f'.repeat(64) }),
  (rows, at) => patch(rows, at, { prevHash: rows[at]!.prevHash.toUpperCase() }),
  (rows, at) => patch(rows, at, { streamVersion: rows[at]!.streamVersion + 1 }),
  (rows, at) => patch(rows, at, { recordedAt: '2017-10-14T00:00:00.000Z' }),
  (rows, at) => rows.filter((_, index) => index !== at),
  (rows, at) => {
    const copy = [...rows];
    const other = (at + 3) % rows.length;
    copy[at] = { ...rows[other]!, position: rows[at]!.position };
    copy[other] = { ...rows[at]!, position: rows[other]!.position };
    return copy;
  },
];

function reindented(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 1);
  } catch {
    return undefined;
  }
}

function patch(rows: Row[], at: number, change: Partial<Row>): Row[] {
  return rows.map((row, index) => (index === at ? { ...row, ...change } : row));
}

function viaParsed(rows: readonly Row[]): VerificationReport {
  const verifier = new LogVerifier();
  for (const row of rows) {
    verifier.accept(parsed(row));
    if (verifier.settled) break;
  }
  return verifier.finish();
}

/** As the auditor's text pass: the text path first, the parsed event where it declines. */
function viaText(rows: readonly Row[]): VerificationReport {
  const verifier = new LogVerifier();
  for (const row of rows) {
    const text: VerifiableEventText = row;
    if (!verifier.acceptText(text)) verifier.accept(parsed(row));
    if (verifier.settled) break;
  }
  return verifier.finish();
}

function outcome(run: () => VerificationReport): VerificationReport | { thrown: string } {
  try {
    return run();
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

describe('the text path of LogVerifier', () => {
  it('gives the same report as the parsed path on intact and edited logs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(EDITS.length - 1), fc.nat()), { maxLength: 2 }),
        fc.boolean(),
        (streams, edits, canonical) => {
          let rows = buildRows(streams, canonical);
          for (const [edit, at] of edits) {
            if (rows.length > 1) rows = (EDITS[edit] as (typeof EDITS)[number])(rows, at % rows.length);
          }
          const definition = outcome(() => viaParsed(rows));
          const text = outcome(() => viaText(rows));
          // A data column that is not JSON fails the store's own read (it throws). The text path
          // throws there too, unless it settled on a problem earlier (then it needs no later row).
          if ('thrown' in definition) expect('thrown' in text || !text.ok).toBe(true);
          else expect(text).toEqual(definition);
        },
      ),
      { numRuns: 800 },
    );
  });
});
