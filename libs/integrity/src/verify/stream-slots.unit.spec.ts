import fc from 'fast-check';
import { StreamSlots, streamKeyHash } from './stream-slots';

describe('StreamSlots (the verifier stream look-up, decision 0040)', () => {
  it('finds each stream slot, in the order streams were added, and nothing else', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 3000 }), fc.string(), (ids, other) => {
        const slots = new StreamSlots();
        ids.forEach((id, slot) => expect(slots.add(id, streamKeyHash(id))).toBe(slot));
        expect(slots.size).toBe(ids.length);
        ids.forEach((id, slot) => expect(slots.find(id, streamKeyHash(id))).toBe(slot));
        if (!ids.includes(other)) expect(slots.find(other, streamKeyHash(other))).toBe(-1);
      }),
      { numRuns: 50 },
    );
  });

  it('tells apart ids whose key hashes collide: the hash only picks the bucket', () => {
    const slots = new StreamSlots();
    // Every id under one key hash, as a contrived collision would put them.
    const ids = Array.from({ length: 5000 }, (_, i) => `claim-${i}`);
    ids.forEach((id) => slots.add(id, 7));
    ids.forEach((id, slot) => expect(slots.find(id, 7)).toBe(slot));
    expect(slots.find('claim-x', 7)).toBe(-1);
  });
});
