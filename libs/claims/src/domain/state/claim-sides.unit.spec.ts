import type { DateValue, QuantityValue } from '../values';
import { ClaimStream, lookup, organization, SAT, SUN } from './claim-stream.fixture';

const exact = (n: number): QuantityValue => ({ exact: n });
const day = (date: string): DateValue => ({ date, precision: 'day' });

describe('conflicts between sides', () => {
  it('lists 40 voices in two camps as one conflict of two sides, every voice named once', () => {
    const voices = Array.from({ length: 40 }, (_, i) => `org-${String(i).padStart(2, '0')}`);
    const sources = lookup(...voices.map((id) => organization(id)));
    const stream = new ClaimStream();
    voices.forEach((id, i) => {
      if (i % 2 === 0) stream.affirms(`yes-${id}`, id, SAT, true);
      else stream.denies(`no-${id}`, id, SUN);
    });
    const view = stream.view(sources);
    expect(view.status).toBe('contested');
    expect(view.conflicts).toHaveLength(1);
    const [{ a, b, reason }] = view.conflicts as [(typeof view.conflicts)[number]];
    expect(reason).toBe('incompatible-values');
    expect([a.value, b.value]).toEqual([true, false]);
    const named = [...a.voices, ...b.voices].map((v) => v.voice);
    expect(named).toHaveLength(40);
    expect(new Set(named)).toEqual(new Set(voices));
    expect(a.voices.every((v) => v.statementId === `yes-${v.voice}`)).toBe(true);
    expect(b.voices.every((v) => v.stance === 'denies')).toBe(true);
    // The view stays small: no side repeats a voice, nothing pairs them.
    expect(JSON.stringify(view.conflicts).length).toBeLessThan(40 * 200);
  });

  it('keeps compatible but unequal values on separate sides, each conflicting only where values clash', () => {
    const sources = lookup(organization('a'), organization('b'), organization('c'), organization('d'));
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 200, max: 300 })
      .affirms('s2', 'b', SAT, exact(250))
      .affirms('s3', 'c', SUN, exact(400))
      .affirms('s4', 'd', SUN, { min: 300, max: 200 })
      .view(sources);
    expect(view.status).toBe('contested');
    expect(
      view.conflicts.map((c) => [c.a.voices.map((v) => v.voice), c.b.voices.map((v) => v.voice)]),
    ).toEqual([
      [['a', 'd'], ['c']],
      [['b'], ['c']],
    ]);
  });

  it('puts those denying the proposition on one side against each affirmed value', () => {
    const sources = lookup(organization('a'), organization('b'), organization('c'));
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, exact(275))
      .denies('s2', 'b', SUN)
      .denies('s3', 'c', SUN)
      .view(sources);
    expect(view.conflicts).toEqual([
      {
        a: expect.objectContaining({ stance: 'affirms', value: exact(275) }),
        b: {
          stance: 'denies',
          voices: [expect.objectContaining({ voice: 'b' }), expect.objectContaining({ voice: 'c' })],
        },
        reason: 'denies-proposition',
      },
    ]);
  });
});

describe('agreedValue (DOMAIN.md rule 7)', () => {
  const sources = lookup(organization('a'), organization('b'), organization('c'));

  it('is the common boolean when corroborated, so "did not" reads apart from "did"', () => {
    const no = new ClaimStream().affirms('s1', 'a', SAT, false).denies('s2', 'b', SUN).view(sources);
    expect(no).toMatchObject({ status: 'corroborated', agreedValue: false });
    const yes = new ClaimStream().affirms('s1', 'a', SAT, true).view(sources);
    expect(yes).toMatchObject({ status: 'single-source', agreedValue: true });
  });

  it('is the intersection of the quantity intervals', () => {
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 200, max: 300 })
      .affirms('s2', 'b', SUN, { approx: 250 })
      .affirms('s3', 'c', SUN, { min: 260, max: 400 })
      .view(sources);
    expect(view).toMatchObject({ status: 'corroborated', agreedValue: { min: 260, max: 275 } });
    const point = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, exact(300))
      .affirms('s2', 'b', SUN, { min: 200, max: 300 })
      .view(sources);
    expect(point.agreedValue).toEqual(exact(300));
  });

  it('is the finest common date span', () => {
    const view = new ClaimStream('date')
      .affirms('s1', 'a', SAT, { date: '2017-10', precision: 'month' })
      .affirms('s2', 'b', SUN, day('2017-10-12'))
      .affirms('s3', 'c', SUN, { date: '2017', precision: 'year' })
      .view(sources);
    expect(view.agreedValue).toEqual(day('2017-10-12'));
  });

  it('is null when contested, unconfirmed, or only denials assert', () => {
    const contested = new ClaimStream().affirms('s1', 'a', SAT, true).denies('s2', 'b', SUN).view(sources);
    expect(contested.agreedValue).toBeNull();
    const unconfirmed = new ClaimStream().report('s1', 'a', 'uncertain', SAT, { value: true }).view(sources);
    expect(unconfirmed.agreedValue).toBeNull();
    const denials = new ClaimStream('quantity').denies('s1', 'a', SAT).denies('s2', 'b', SUN).view(sources);
    expect(denials).toMatchObject({ status: 'corroborated', agreedValue: null });
  });
});

describe('status rules over the new values (issue 10)', () => {
  const sources = lookup(organization('a'), organization('b'), organization('c'));

  it('given "at least 15" and an exact 16, when derived, then corroborated on "at least 16"', () => {
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 15 })
      .affirms('s2', 'b', SUN, exact(16))
      .view(sources);
    expect(view).toMatchObject({ status: 'corroborated', agreedValue: exact(16), conflicts: [] });
  });

  it('given "at least 15" and an exact 14, when derived, then contested', () => {
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 15 })
      .affirms('s2', 'b', SUN, exact(14))
      .view(sources);
    expect(view.status).toBe('contested');
    expect(view.conflicts[0]?.reason).toBe('incompatible-values');
  });

  it('given open-ended bounds only, when derived, then the agreed value keeps their shape', () => {
    const least = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 15 })
      .affirms('s2', 'b', SUN, { min: 18 })
      .view(sources);
    expect(least.agreedValue).toEqual({ min: 18 });
    const most = new ClaimStream('quantity').affirms('s1', 'a', SAT, { max: 40 }).view(sources);
    expect(most.agreedValue).toEqual({ max: 40 });
    const both = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 15 })
      .affirms('s2', 'b', SUN, { max: 40 })
      .view(sources);
    expect(both.agreedValue).toEqual({ min: 15, max: 40 });
    const none = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, { min: 41 })
      .affirms('s2', 'b', SUN, { max: 40 })
      .view(sources);
    expect(none.status).toBe('contested');
  });

  it('given a day in New York and an hour of the next day in Amman (same night), when derived, then corroborated', () => {
    const view = new ClaimStream('date')
      .affirms('s1', 'a', SAT, { date: '2018-10-19', precision: 'day', timeZone: 'America/New_York' })
      .affirms('s2', 'b', SUN, { date: '2018-10-20T03:00', precision: 'minute', timeZone: 'Asia/Amman' })
      .view(sources);
    expect(view).toMatchObject({
      status: 'corroborated',
      agreedValue: { date: '2018-10-20T03:00', precision: 'minute', timeZone: 'Asia/Amman' },
    });
  });

  it('given the same two days without time zones, when derived, then contested (calendar dates)', () => {
    const view = new ClaimStream('date')
      .affirms('s1', 'a', SAT, day('2018-10-19'))
      .affirms('s2', 'b', SUN, day('2018-10-20'))
      .view(sources);
    expect(view.status).toBe('contested');
  });

  it('given عسيري and عسيرى, when derived, then one value, corroborated', () => {
    const view = new ClaimStream('text')
      .affirms('s1', 'a', SAT, 'عسيري')
      .affirms('s2', 'b', SUN, 'عسيرى')
      .view(sources);
    expect(view.status).toBe('corroborated');
    expect(view.values).toEqual([{ value: 'عسيري', voices: ['a', 'b'] }]);
  });

  it('given a hedged figure beside an asserted one, when derived, then the hedge is shown but asserts nothing', () => {
    const view = new ClaimStream('quantity')
      .affirms('s1', 'a', SAT, exact(18))
      .report('s2', 'b', 'uncertain', SUN, { value: { approx: 30 } })
      .view(sources);
    expect(view).toMatchObject({ status: 'single-source', agreedValue: exact(18), conflicts: [] });
    expect(view.values).toEqual([{ value: exact(18), voices: ['a'] }]);
    expect(view.positions.find((p) => p.sourceId === 'b')).toMatchObject({
      stance: 'uncertain',
      value: { approx: 30 },
    });
  });
});
