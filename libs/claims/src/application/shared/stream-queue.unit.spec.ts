import { StreamQueue } from './stream-queue';

/** A promise the test settles by hand. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamQueue', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const queue = new StreamQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.run('k', async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
    });
    const b = queue.run('k', () => {
      log.push('b runs');
      return Promise.resolve();
    });
    await turn();
    expect(log).toEqual(['a starts']);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('runs work for different keys side by side', async () => {
    const queue = new StreamQueue();
    const held = gate();
    const log: string[] = [];
    const a = queue.run('k1', async () => {
      await held.promise;
      log.push('k1');
    });
    await queue.run('k2', () => Promise.resolve(log.push('k2')));
    expect(log).toEqual(['k2']);
    held.open();
    await a;
  });

  it('hands each failure to its own caller and goes on with the next work', async () => {
    const queue = new StreamQueue();
    const failing = queue.run('k', () => Promise.reject(new Error('no')));
    const next = queue.run('k', () => Promise.resolve('yes'));
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('yes');
  });

  it('forgets a key once its last work has settled, so memory follows the busy keys only', async () => {
    const queue = new StreamQueue();
    const held = gate();
    const a = queue.run('k1', () => held.promise);
    void queue.run('k2', () => Promise.resolve());
    await turn();
    expect(queue.size).toBe(1);
    held.open();
    await a;
    await turn();
    expect(queue.size).toBe(0);
  });
});
