import { generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH, hashEvent } from '../event-hash';
import { leafHashOf } from '../merkle/hashes';
import { MerkleAccumulator } from '../merkle/accumulator';
import { signTreeHead } from '../tree-head/tree-head';
import { InvalidTreeHeadError, type VerifiableEvent, verifyLog } from './log-verifier';

/** A valid log: `streams[i]` is the stream of the i-th event; one second between commits. */
function buildLog(streams: readonly string[]): VerifiableEvent[] {
  const tips = new Map<string, { version: number; hash: string }>();
  return streams.map((streamId, index) => {
    const tip = tips.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    const event = rehash({
      eventId: `e${index + 1}`,
      streamId,
      streamVersion: tip.version + 1,
      position: BigInt(index + 1),
      type: 'Thing',
      schemaVersion: 1,
      data: { n: index },
      metadata: {
        recordedAt: new Date(Date.UTC(2017, 9, 15) + index * 1000).toISOString(),
        principal: 'p',
        correlationId: 'c',
        hash: '',
        prevHash: tip.hash,
      },
    });
    tips.set(streamId, { version: event.streamVersion, hash: event.metadata.hash });
    return event;
  });
}

function rehash(event: VerifiableEvent): VerifiableEvent {
  const hash = hashEvent({ ...event, prevHash: event.metadata.prevHash });
  return { ...event, metadata: { ...event.metadata, hash } };
}

const STREAMS = ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a', 'b', 'c'];
const keys = generateKeyPairSync('ed25519');

function headOf(log: readonly VerifiableEvent[]) {
  const tree = new MerkleAccumulator();
  for (const event of log) tree.push(leafHashOf(event.metadata.hash));
  return signTreeHead(
    {
      treeSize: String(log.length),
      rootHash: tree.root().toString('hex'),
      timestamp: '2017-10-16T00:00:00.000Z',
      lastPosition: String(log.at(-1)?.position ?? 0n),
    },
    keys.privateKey,
  );
}

/** Swaps everything but the position. */
function swap(log: VerifiableEvent[], i: number, j: number): VerifiableEvent[] {
  const copy = [...log];
  const a = copy[i]!;
  const b = copy[j]!;
  copy[i] = { ...b, position: a.position };
  copy[j] = { ...a, position: b.position };
  return copy;
}

describe('verifyLog', () => {
  it('passes a well-formed log and reports its root', async () => {
    const log = buildLog(STREAMS);
    const report = await verifyLog(log);
    expect(report).toMatchObject({ ok: true, events: 10, streams: 3, lastPosition: '10' });
    expect(report.rootHash).toBe(headOf(log).rootHash);
  });

  it('names an altered event', async () => {
    const log = buildLog(STREAMS);
    log[4] = { ...log[4]!, data: { n: 99 } };
    const report = await verifyLog(log);
    expect(report.problem).toMatchObject({ kind: 'altered', position: '5', streamId: 'b', streamVersion: 2 });
  });

  it('names an event that was changed and re-hashed by the link that no longer holds', async () => {
    const log = buildLog(STREAMS);
    log[2] = rehash({ ...log[2]!, data: { n: 99 } });
    const report = await verifyLog(log);
    expect(report.problem).toMatchObject({ kind: 'altered', position: '3', streamId: 'a', streamVersion: 2 });
  });

  it('rejects metadata the hash does not cover', async () => {
    const log = buildLog(STREAMS);
    log[1] = { ...log[1]!, metadata: { ...log[1]!.metadata, extra: 'x' } as VerifiableEvent['metadata'] };
    expect((await verifyLog(log)).problem).toMatchObject({ kind: 'altered', position: '2' });
  });

  it('names the stream and version of a deleted event', async () => {
    const log = buildLog(STREAMS);
    log.splice(2, 1);
    const report = await verifyLog(log);
    expect(report.problem).toMatchObject({ kind: 'missing', position: '3', streamId: 'a', streamVersion: 2 });
  });

  it('reports a deleted last-of-stream event by its position alone', async () => {
    const log = buildLog(['a', 'b', 'a', 'c']);
    log.splice(1, 1);
    const report = await verifyLog(log);
    expect(report.problem).toMatchObject({ kind: 'missing', position: '2' });
    expect(report.problem?.streamId).toBeUndefined();
  });

  it('reports a version jump without a hole as missing when the version never turns up', async () => {
    const log = buildLog(STREAMS);
    log.splice(2, 1);
    const renumbered = log.map((event, index) => ({ ...event, position: BigInt(index + 1) }));
    expect((await verifyLog(renumbered)).problem).toMatchObject({
      kind: 'missing',
      position: '5',
      streamId: 'a',
    });
  });

  it('names the first of two swapped events in one stream', async () => {
    const report = await verifyLog(swap(buildLog(STREAMS), 2, 7));
    expect(report.problem).toMatchObject({
      kind: 'reordered',
      position: '3',
      streamId: 'a',
      streamVersion: 4,
    });
  });

  it('names the first of two swapped events in different streams by their recorded times', async () => {
    const report = await verifyLog(swap(buildLog(STREAMS), 3, 4));
    expect(report.problem).toMatchObject({ kind: 'reordered', position: '4' });
  });

  it('names a forged event inserted into a stream', async () => {
    const log = buildLog(STREAMS);
    const before = log[2]!; // a v2
    const forged = rehash({
      ...before,
      eventId: 'forged',
      streamVersion: 3,
      data: { forged: true },
      metadata: { ...before.metadata, prevHash: before.metadata.hash },
    });
    log.splice(3, 0, forged);
    const renumbered = log.map((event, index) => ({ ...event, position: BigInt(index + 1) }));
    const report = await verifyLog(renumbered);
    expect(report.problem).toMatchObject({
      kind: 'inserted',
      position: '4',
      streamId: 'a',
      streamVersion: 3,
    });
  });

  describe('against an earlier tree head', () => {
    it('passes a log that extends it', async () => {
      const log = buildLog(STREAMS);
      const head = headOf(log.slice(0, 6));
      const report = await verifyLog(log, { against: { head, publicKey: keys.publicKey } });
      expect(report).toMatchObject({ ok: true, extends: { treeSize: '6' } });
    });

    it('reports a truncated tail that plain verification accepts', async () => {
      const log = buildLog(STREAMS);
      const head = headOf(log);
      const truncated = log.slice(0, 7);
      expect((await verifyLog(truncated)).ok).toBe(true);
      const report = await verifyLog(truncated, { against: { head, publicKey: keys.publicKey } });
      expect(report.problem).toMatchObject({ kind: 'truncated', position: '8' });
    });

    it('reports a stream rewritten with a consistent chain', async () => {
      const log = buildLog(STREAMS);
      const head = headOf(log);
      let prevHash = GENESIS_HASH;
      const rewritten = log.map((event) => {
        if (event.streamId !== 'b') return event;
        const changed = rehash({
          ...event,
          data: { rewritten: true },
          metadata: { ...event.metadata, prevHash },
        });
        prevHash = changed.metadata.hash;
        return changed;
      });
      expect((await verifyLog(rewritten)).ok).toBe(true);
      const report = await verifyLog(rewritten, { against: { head, publicKey: keys.publicKey } });
      expect(report.problem).toMatchObject({ kind: 'rewritten', position: '10' });
    });

    it('refuses a tree head signed by another key', async () => {
      const log = buildLog(STREAMS);
      const other = generateKeyPairSync('ed25519');
      await expect(
        verifyLog(log, { against: { head: headOf(log), publicKey: other.publicKey } }),
      ).rejects.toThrow(InvalidTreeHeadError);
    });
  });
});
