import { GroupCommitQueue, type Outcome } from './group-commit';

/** A commit the test resolves by hand, recording each batch it was given. */
function manualCommit() {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const commit = (items: readonly number[]): Promise<Outcome<string>[]> => {
    batches.push([...items]);
    return new Promise((resolve) => {
      pending.push(() =>
        resolve(
          items.map((n) =>
            n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: `v${n}` },
          ),
        ),
      );
    });
  };
  const release = async (): Promise<void> => {
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    pending.shift()?.();
  };
  return { batches, commit, release };
}

describe('GroupCommitQueue', () => {
  it('commits what is submitted in one turn as one batch, and settles each item alone', async () => {
    const { batches, commit, release } = manualCommit();
    const heard: number[] = [];
    const queue = new GroupCommitQueue<number, string>(commit, (outcomes) => heard.push(outcomes.length));

    const results = Promise.allSettled([1, -2, 3].map((n) => queue.submit(n)));
    await release();

    expect(batches).toEqual([[1, -2, 3]]);
    expect(heard).toEqual([3]);
    const settled = await results;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'v1' });
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('bad -2'));
  });

  it('gathers everything submitted while a batch is in flight into the next one, in order', async () => {
    const { batches, commit, release } = manualCommit();
    const queue = new GroupCommitQueue<number, string>(commit);

    const first = queue.submit(1);
    while (batches.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => queue.submit(n));
    await release();
    await release();

    expect(await first).toBe('v1');
    expect(await Promise.all(later)).toEqual(['v2', 'v3', 'v4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails the whole batch when the commit throws, and goes on with the next', async () => {
    let calls = 0;
    const queue = new GroupCommitQueue<number, number>((items) => {
      calls += 1;
      if (calls === 1) throw new Error('disk full');
      return items.map((value) => ({ ok: true, value }));
    });

    const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(await queue.submit(3)).toBe(3);
  });

  it('splits batches by count and weight, always taking at least one item', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(
      (items) => {
        batches.push([...items]);
        return items.map((value) => ({ ok: true, value }));
      },
      undefined,
      { maxItems: 3, maxWeight: 10, weigh: (n) => n },
    );

    await Promise.all([1, 1, 1, 1, 20, 4, 4, 4].map((n) => queue.submit(n)));

    expect(batches).toEqual([[1, 1, 1], [1], [20], [4, 4], [4]]);
  });

  it('drains: resolves once everything submitted has settled', async () => {
    const { commit, release } = manualCommit();
    const queue = new GroupCommitQueue<number, string>(commit);
    let settled = false;
    void queue.submit(1).then(() => (settled = true));

    const drained = queue.drain();
    await release();
    await drained;

    expect(settled).toBe(true);
  });
});
