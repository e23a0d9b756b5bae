import { compareStatedOrder, type StatedOrdered } from './stated-order';

const said = (at: string, reportedPosition: string): StatedOrdered => ({
  current: { statedAt: { at, precision: 'minute' } },
  reportedPosition,
});

describe('compareStatedOrder (DOMAIN.md rules 1 and 2)', () => {
  it('orders stated times as instants, whatever their offsets', () => {
    // 10:00 at +03:00 is 07:00 UTC: before 08:30 UTC although its text sorts after.
    expect(
      compareStatedOrder(said('2017-10-12T10:00+03:00', '9'), said('2017-10-12T08:30Z', '1')),
    ).toBeLessThan(0);
    expect(
      compareStatedOrder(said('2017-10-12T08:30Z', '1'), said('2017-10-12T10:00+03:00', '9')),
    ).toBeGreaterThan(0);
  });

  it('breaks a tie of the same instant by the later report', () => {
    expect(
      compareStatedOrder(said('2017-10-12T07:00Z', '12'), said('2017-10-12T10:00+03:00', '3')),
    ).toBeGreaterThan(0);
    expect(compareStatedOrder(said('2017-10-12T07:00Z', '3'), said('2017-10-12T07:00Z', '12'))).toBeLessThan(
      0,
    );
  });

  it('puts an unparseable time first, so it never supersedes a known one', () => {
    expect(compareStatedOrder(said('last Tuesday', '20'), said('2017-10-12T07:00Z', '1'))).toBeLessThan(0);
    expect(compareStatedOrder(said('2017-10-12T07:00Z', '1'), said('last Tuesday', '20'))).toBeGreaterThan(0);
  });

  it('answers as Date.parse does for more distinct times than its memo holds, asked twice', () => {
    // 5,000 distinct minutes (the memo keeps 4,096 and then starts again), each compared with the
    // next one twice: the second pass reads what the first remembered or parsed again.
    const base = Date.UTC(2017, 9, 1);
    const times = Array.from({ length: 5_000 }, (_, i) => new Date(base + i * 61_000).toISOString());
    for (let pass = 0; pass < 2; pass += 1) {
      times.forEach((at, i) => {
        const next = times[(i * 7919) % times.length] as string;
        const expected = Math.sign(Date.parse(at) - Date.parse(next));
        expect(Math.sign(compareStatedOrder(said(at, '5'), said(next, '5')))).toBe(expected);
      });
    }
  });
});
