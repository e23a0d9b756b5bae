import { GENESIS_HASH } from '@app/integrity';
import { InvalidAppendError } from '../core/errors';
import {
  DuplicateEventError,
  WrongExpectedVersionError,
  type EventContext,
  type EventStore,
  type NewEvent,
} from '../port/event-store.port';
import {
  T0,
  expectValidChains,
  positions,
  recomputeHash,
  rejection,
  type NextEvent,
} from './conformance-support';

/** What an append checks and writes: versions, atomic batches, unique event ids, the hash chain. */
export function describeAppends(context: () => { store: EventStore; next: NextEvent }): void {
  let store: EventStore;
  let next: NextEvent;
  beforeEach(() => {
    ({ store, next } = context());
  });

  async function expectNothingWritten(head: bigint): Promise<void> {
    expect(await store.headPosition()).toBe(head);
    expect(await store.readAll()).toHaveLength(Number(head));
  }

  describe('append to a new stream', () => {
    it('starts at version 1, position 1, chained to the genesis hash', async () => {
      const result = await store.append('claim-1', [next()], 0);

      expect(result.streamVersion).toBe(1);
      expect(result.position).toBe(1n);
      const [event] = result.events;
      expect(event).toMatchObject({
        eventId: 'evt-1',
        streamId: 'claim-1',
        streamVersion: 1,
        position: 1n,
      });
      expect(event?.metadata.prevHash).toBe(GENESIS_HASH);
      expect(event?.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event?.metadata.hash).toBe(recomputeHash(event!));
      expect(await store.readStream('claim-1')).toEqual(result.events);
    });

    it('chains each event to the previous hash of its stream, across appends', async () => {
      const first = await store.append('claim-1', [next(), next()], 0);
      const second = await store.append('claim-1', [next()], 2);

      expect(second.events[0]?.metadata.prevHash).toBe(first.events[1]?.metadata.hash);
      expect(first.events[1]?.metadata.prevHash).toBe(first.events[0]?.metadata.hash);
      expectValidChains(await store.readAll());
    });

    it('returns the same events that reads return later', async () => {
      const result = await store.append('claim-1', [next(), next()], 'any');
      expect(await store.readAll()).toEqual(result.events);
    });
  });

  describe('expected version', () => {
    beforeEach(async () => {
      await store.append('claim-1', [next(), next()], 0);
    });

    it('rejects a stale version with the actual version, writing nothing', async () => {
      const error = await rejection(store.append('claim-1', [next()], 1));

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({
        streamId: 'claim-1',
        expected: 1,
        actual: 2,
        code: 'WRONG_EXPECTED_VERSION',
      });
      await expectNothingWritten(2n);
    });

    it('rejects 0 on an existing stream', async () => {
      const error = await rejection(store.append('claim-1', [next()], 0));
      expect(error).toMatchObject({ name: 'WrongExpectedVersionError', expected: 0, actual: 2 });
    });

    it('rejects a positive version on a stream that does not exist', async () => {
      const error = await rejection(store.append('claim-2', [next()], 1));
      expect(error).toMatchObject({ name: 'WrongExpectedVersionError', expected: 1, actual: 0 });
    });

    it('accepts the exact current version', async () => {
      const result = await store.append('claim-1', [next()], 2);
      expect(result.streamVersion).toBe(3);
    });

    it("skips the check for 'any', on existing and new streams", async () => {
      expect((await store.append('claim-1', [next()], 'any')).streamVersion).toBe(3);
      expect((await store.append('claim-2', [next()], 'any')).streamVersion).toBe(1);
    });

    it('rejects an expected version that is not a non-negative integer', async () => {
      for (const expected of [-1, 1.5, Number.NaN]) {
        expect(await rejection(store.append('claim-1', [next()], expected))).toBeInstanceOf(
          InvalidAppendError,
        );
      }
      await expectNothingWritten(2n);
    });
  });

  describe('atomic batches', () => {
    it('appends several events with consecutive versions and positions, one recordedAt', async () => {
      await store.append('source-1', [next()], 0);
      const result = await store.append('claim-1', [next(), next(), next()], 0);

      expect(result.streamVersion).toBe(3);
      expect(result.position).toBe(4n);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(positions(result.events)).toEqual([2n, 3n, 4n]);
      expect(new Set(result.events.map((e) => e.metadata.recordedAt)).size).toBe(1);
    });

    it('rejects an empty batch with a clear error', async () => {
      const error = await rejection(store.append('claim-1', [], 'any'));
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect((error as Error).message).toMatch(/empty/);
      await expectNothingWritten(0n);
    });

    it('writes nothing when one item of the batch is invalid', async () => {
      const invalidItems: NewEvent[] = [
        next({ schemaVersion: 0 }),
        next({ eventId: '' }),
        next({ type: '' }),
        next({ data: { count: Number.NaN } }),
        next({ data: { at: new Date(T0) } }),
        next({ data: [1, undefined] }),
        next({ data: { f: () => 1 } }),
        next({ data: undefined }),
        next({ metadata: { principal: '', correlationId: 'c' } }),
        next({ metadata: { principal: 'p' } as EventContext }),
      ];
      for (const invalid of invalidItems) {
        const error = await rejection(store.append('claim-1', [next(), invalid, next()], 'any'));
        expect(error).toBeInstanceOf(InvalidAppendError);
      }
      await expectNothingWritten(0n);
      expect(await store.readStream('claim-1')).toEqual([]);
    });

    it('rejects an empty stream id', async () => {
      expect(await rejection(store.append('', [next()], 'any'))).toBeInstanceOf(InvalidAppendError);
    });
  });

  describe('duplicate event ids', () => {
    it('rejects an id already stored in any stream, writing nothing of the batch', async () => {
      const original = next();
      await store.append('claim-1', [original], 0);

      const error = await rejection(store.append('claim-2', [next(), { ...original }], 0));

      expect(error).toBeInstanceOf(DuplicateEventError);
      expect(error).toMatchObject({ eventId: original.eventId, code: 'DUPLICATE_EVENT' });
      await expectNothingWritten(1n);
      expect(await store.readStream('claim-2')).toEqual([]);
    });

    it('rejects the same id twice within one batch', async () => {
      const event = next();
      const error = await rejection(store.append('claim-1', [event, { ...event }], 0));
      expect(error).toBeInstanceOf(DuplicateEventError);
      await expectNothingWritten(0n);
    });

    it('rejects a retried append of the same events (same expected version)', async () => {
      const batch = [next(), next()];
      await store.append('claim-1', batch, 0);
      expect(await rejection(store.append('claim-1', batch, 0))).toBeInstanceOf(Error);
      await expectNothingWritten(2n);
    });
  });
}
