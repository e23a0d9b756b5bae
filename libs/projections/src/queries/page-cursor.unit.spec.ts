import { decodeCursor, paged } from './page-cursor';

describe('page cursors', () => {
  it('gives a cursor only when there is a next page, and it decodes to the last key', () => {
    const last = paged([1, 2, 3], 3, 'o', String);
    expect(last).toEqual({ page: [1, 2, 3], nextCursor: null });
    const more = paged([1, 2, 3, 4], 3, 'o', String);
    expect(more.page).toEqual([1, 2, 3]);
    expect(decodeCursor('o', more.nextCursor!, /^\d+$/)).toBe('3');
  });

  it('refuses a cursor of another kind, a malformed key and plain garbage', () => {
    const sources = paged(['a', 'b'], 1, 's', (id) => id).nextCursor!;
    expect(() => decodeCursor('o', sources, /^.+$/)).toThrow(
      expect.objectContaining({ code: 'INVALID_FIELD' }),
    );
    const claims = paged(['x', 'y'], 1, 'o', (id) => id).nextCursor!;
    expect(() => decodeCursor('o', claims, /^\d+$/)).toThrow(expect.objectContaining({ field: 'cursor' }));
    expect(() => decodeCursor('o', 'bm9wZQ', /^\d+$/)).toThrow(
      expect.objectContaining({ code: 'INVALID_FIELD' }),
    );
  });
});
