import type { EventStore } from '@app/event-store';
import type { AsyncReadModelStore } from '../port/read-model-store.port';
import { ProjectionRunner } from './projection-runner';

/** A replica that does not project: only the shared checkpoint and the announcements matter. */
function follower(stored: () => bigint) {
  let reads = 0;
  const readModels = {
    synchronous: false,
    checkpoint: () => {
      reads += 1;
      return Promise.resolve(stored());
    },
  } as unknown as AsyncReadModelStore;
  const runner = new ProjectionRunner({} as EventStore, readModels, () => ({ type: 'x', data: {} }));
  runner.active = false;
  return { runner, reads: () => reads };
}

describe('waitFor on a replica that does not project', () => {
  it('answers from the announced checkpoints, without reading the shared one at each', async () => {
    let shared = 0n;
    const { runner, reads } = follower(() => shared);
    const waiting = runner.waitFor(5n);
    for (const position of [2n, 3n, 4n, 5n]) {
      // The projector commits, then announces: the shared checkpoint is there before the notice.
      shared = position;
      runner.seen(position);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waiting;
    expect(reads()).toBe(0);
  });

  it('reads the shared checkpoint when no announcement comes (one was missed)', async () => {
    const { runner, reads } = follower(() => 7n);
    await runner.waitFor(5n);
    expect(reads()).toBe(1);
    expect(runner.position).toBe(7n);
  });
});
