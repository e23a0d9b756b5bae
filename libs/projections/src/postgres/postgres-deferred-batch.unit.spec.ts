import type { LogIdentity } from '@app/event-store';
import type { ReadModelChanges } from '../newsroom.projection';
import { type DeferrableReadModels, DeferredBatch } from './postgres-deferred-batch';
import type { WriteFragment } from './postgres-read-model.writer';

/** A stand-in for the read models that records what reaches the database, in order. */
function recorder() {
  const calls: string[] = [];
  const statements: { fragments: string[]; last?: string }[] = [];
  const fragment = (text: string): WriteFragment => ({ text, values: [] });
  const inner = {
    changeFragments: (changes: readonly ReadModelChanges[]) =>
      changes.length === 0 ? [] : [fragment(`changes:${changes.length}`)],
    checkpointFragment: (projection: string, position: bigint) =>
      fragment(`checkpoint:${projection}:${position}`),
    logFragment: (identity: LogIdentity) => fragment(`log:${identity.logId}`),
    projectedNotice: (position: bigint) => fragment(`notify:${position}`),
    writeFragments: (fragments: readonly WriteFragment[], last?: WriteFragment) => {
      calls.push('write');
      statements.push({ fragments: fragments.map((f) => f.text), last: last?.text });
      return Promise.resolve();
    },
    claim: (claimId: string) => {
      calls.push(`claim ${claimId}`);
      return Promise.resolve(undefined);
    },
    statement: (claimId: string) => {
      calls.push(`statement ${claimId}`);
      return Promise.resolve(undefined);
    },
    source: (sourceId: string) => {
      calls.push(`source ${sourceId}`);
      return Promise.resolve(undefined);
    },
    claimsWithSources: () => {
      calls.push('claimsWithSources');
      return Promise.resolve([]);
    },
    lookupMany: (method: string, argsList: unknown[][]) => {
      calls.push(`lookupMany ${method} ${argsList.map((a) => String(a[0])).join(',')}`);
      return Promise.resolve(argsList.map(() => undefined));
    },
    snapshotAt: () => {
      calls.push('snapshotAt');
      return Promise.resolve([]);
    },
  };
  return { inner: inner as unknown as DeferrableReadModels, calls, statements };
}

/** A query the projector never asks, reached through the batch as the proxy passes it on. */
const queries = (batch: object) => batch as { snapshotAt(claimId: string, after: bigint): Promise<unknown> };

function changesOn(claimId: string, extra: Partial<ReadModelChanges> = {}): ReadModelChanges {
  return {
    sources: [],
    claims: [{ record: { claimId } } as ReadModelChanges['claims'][number]],
    claimSources: [],
    statements: [{ claimId, statement: {} as ReadModelChanges['statements'][number]['statement'] }],
    snapshots: [],
    ...extra,
  };
}

describe('DeferredBatch (PostgreSQL read-model batch)', () => {
  it('writes queued changes before a read of a claim they touch, and not before reads of others', async () => {
    const { inner, calls } = recorder();
    const { batch } = new DeferredBatch(inner);

    await batch.apply([changesOn('claim-a')]);
    await batch.claim('claim-b');
    await batch.statement('claim-b', 'st-1');
    expect(calls).toEqual(['claim claim-b', 'statement claim-b']);

    await batch.claim('claim-a');
    expect(calls).toEqual(['claim claim-b', 'statement claim-b', 'write', 'claim claim-a']);
  });

  it('writes before statement reads of a claim with queued statements, and before list reads', async () => {
    const { inner, calls } = recorder();
    const { batch } = new DeferredBatch(inner);

    await batch.apply([changesOn('claim-a', { claims: [] })]);
    await batch.statement('claim-a', 'st-1');
    expect(calls).toEqual(['write', 'statement claim-a']);

    await batch.apply([changesOn('claim-c', { claimSources: [{ claimId: 'claim-c', sourceId: 's' }] })]);
    await batch.claimsWithSources(['s']);
    await batch.apply([changesOn('claim-d')]);
    // A read the rules do not know (a query's): everything queued goes first.
    await queries(batch).snapshotAt('claim-z', 0n);
    expect(calls.slice(2)).toEqual(['write', 'claimsWithSources', 'write', 'snapshotAt']);
  });

  it('writes before a many-row lookup only if one of its rows has writes queued', async () => {
    const { inner, calls } = recorder();
    const { batch } = new DeferredBatch(inner);
    const many = batch as unknown as { lookupMany(m: string, a: unknown[][]): Promise<unknown[]> };

    await batch.apply([changesOn('claim-a')]);
    await many.lookupMany('claim', [['claim-b'], ['claim-c']]);
    expect(calls).toEqual(['lookupMany claim claim-b,claim-c']);

    await many.lookupMany('claim', [['claim-b'], ['claim-a']]);
    expect(calls.slice(1)).toEqual(['write', 'lookupMany claim claim-b,claim-a']);
  });

  it('sends the changes, the checkpoint, the log and the notice in one statement at the end', async () => {
    const { inner, statements } = recorder();
    const deferred = new DeferredBatch(inner);

    await deferred.batch.apply([changesOn('claim-a')]);
    await deferred.batch.apply([changesOn('claim-b')]);
    await deferred.batch.saveCheckpoint('newsroom', 42n);
    await deferred.batch.recordLog({ logId: 'log-1', firstEventHash: null });
    expect(statements).toEqual([]);

    await deferred.flush();
    expect(statements).toEqual([
      { fragments: ['changes:2', 'checkpoint:newsroom:42', 'log:log-1'], last: 'notify:42' },
    ]);
  });

  it('reads without writing when nothing is queued', async () => {
    const { inner, calls } = recorder();
    const { batch } = new DeferredBatch(inner);
    await queries(batch).snapshotAt('claim-a', 0n);
    await batch.source('s');
    expect(calls).toEqual(['snapshotAt', 'source s']);
  });
});
