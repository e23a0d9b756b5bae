import type { RecordedClaimEvent } from '@app/claims';
import { ClaimEventCache } from './claim-event-cache';

/** A stream of `count` events at versions 1..count, positions 10, 20, 30, … */
const stream = (count: number): RecordedClaimEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    event: {
      type: 'ClaimReworded',
      data: { claimId: 'c', proposition: { text: `text ${i + 1}`, language: 'en' } },
    } as unknown as RecordedClaimEvent['event'],
    position: String((i + 1) * 10),
    recordedAt: '2026-11-30T00:00:00.000Z',
    streamVersion: i + 1,
  }));

/** A loader over `events` as the store reads them: from a version, stopping past the cut. */
const loader = (events: RecordedClaimEvent[], toPosition: bigint) => {
  const calls: number[] = [];
  const load = (fromVersion: number) => {
    calls.push(fromVersion);
    return Promise.resolve(
      events.filter((e) => e.streamVersion >= fromVersion && BigInt(e.position) <= toPosition),
    );
  };
  return { calls, load };
};

const versions = (events: RecordedClaimEvent[]) => events.map((e) => e.streamVersion);

describe('ClaimEventCache', () => {
  it('reads from the store only the versions it has not read, and stops at the cut', async () => {
    const events = stream(10);
    const cache = new ClaimEventCache();
    const first = loader(events, 50n);
    expect(versions(await cache.read('claim-c', 3, 50n, first.load))).toEqual([3, 4, 5]);
    expect(first.calls).toEqual([3]);

    // Versions 3–5 are in memory: an earlier cut needs no read at all.
    const earlier = loader(events, 40n);
    expect(versions(await cache.read('claim-c', 3, 40n, earlier.load))).toEqual([3, 4]);
    expect(earlier.calls).toEqual([]);

    // A later cut reads from the first version missing.
    const later = loader(events, 80n);
    expect(versions(await cache.read('claim-c', 2, 80n, later.load))).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(later.calls).toEqual([2]);
    const again = loader(events, 80n);
    expect(versions(await cache.read('claim-c', 4, 80n, again.load))).toEqual([4, 5, 6, 7, 8]);
    // Past what it holds it asks the store (the stream may have grown up to the cut).
    expect(again.calls).toEqual([9]);
  });

  it('keeps events frozen, so a fold that writes into one fails instead of changing later reads', async () => {
    const cache = new ClaimEventCache();
    const [event] = await cache.read('claim-c', 1, 10n, loader(stream(1), 10n).load);
    const data = event!.event.data as unknown as { proposition: { text: string } };
    expect(() => (data.proposition.text = 'changed')).toThrow(TypeError);
    expect(Object.isFrozen(event)).toBe(true);
  });

  it('is bounded by events, the least recently read streams evicted first', async () => {
    const cache = new ClaimEventCache(5);
    const events = stream(3);
    await cache.read('claim-a', 1, 30n, loader(events, 30n).load);
    await cache.read('claim-b', 1, 30n, loader(events, 30n).load);
    // claim-a was read least recently: it made room for claim-b.
    const a = loader(events, 30n);
    await cache.read('claim-a', 1, 30n, a.load);
    expect(a.calls).toEqual([1]);
    // A stream alone past the bound is not kept.
    const big = loader(stream(8), 80n);
    await cache.read('claim-big', 1, 80n, big.load);
    const bigAgain = loader(stream(8), 80n);
    await cache.read('claim-big', 1, 80n, bigAgain.load);
    expect(bigAgain.calls).toEqual([1]);
  });
});
