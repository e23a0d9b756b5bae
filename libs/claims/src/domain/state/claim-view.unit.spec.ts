import type { DateValue, QuantityValue } from '../values';
import {
  ClaimStream,
  deepFreeze,
  FRI,
  lookup,
  MON,
  organization,
  person,
  SAT,
  SAT_EVENING,
  SUN,
  undefinedKeys,
} from './claim-stream.fixture';
import { deriveClaimView } from './claim-view';

/** The sources of the Raqqa story (DOMAIN.md). */
const sources = lookup(
  organization('sdf'),
  person('silo', 'sdf'),
  person('bali', 'sdf'),
  organization('rcc'),
  person('alloush', 'rcc'),
  organization('sohr'),
  organization('coalition'),
  person('dillon', 'coalition'),
  organization('elders'),
  organization('local'),
);

const exact = (n: number): QuantityValue => ({ exact: n });
const day = (date: string): DateValue => ({ date, precision: 'day' });

describe('deriveClaimView', () => {
  describe('status', () => {
    it('is unsourced with no statements', () => {
      const view = new ClaimStream().view(sources);
      expect(view.status).toBe('unsourced');
      expect(view).toMatchObject({ agreedValue: null, positions: [], voices: [], values: [], conflicts: [] });
      expect(view.statementCounts).toEqual({ total: 0, live: 0, superseded: 0, retracted: 0 });
    });

    it('is retracted when every statement is retracted', () => {
      const stream = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .denies('s2', 'silo', SUN)
        .retract('s1');
      expect(stream.view(sources).status).toBe('single-source');
      stream.retract('s2');
      const view = stream.view(sources);
      expect(view.status).toBe('retracted');
      expect(view.positions).toEqual([]);
      expect(view.statementCounts).toEqual({ total: 2, live: 0, superseded: 0, retracted: 2 });
      expect(stream.statements().map((s) => [s.statementId, s.live])).toEqual([
        ['s1', false],
        ['s2', false],
      ]);
    });

    it('is unconfirmed when no voice affirms or denies', () => {
      const view = new ClaimStream()
        .report('s1', 'dillon', 'declined', SAT)
        .report('s2', 'alloush', 'uncertain', SUN)
        .view(sources);
      expect(view.status).toBe('unconfirmed');
      expect(view.values).toEqual([]);
      expect(view.voices.map((v) => [v.voice, v.stance])).toEqual([
        ['coalition', 'declined'],
        ['rcc', 'uncertain'],
      ]);
    });

    it('is single-source when exactly one voice asserts, whatever others say', () => {
      const view = new ClaimStream()
        .affirms('s1', 'elders', SAT, true)
        .report('s2', 'dillon', 'declined', SUN)
        .view(sources);
      expect(view.status).toBe('single-source');
    });

    it('is corroborated when two voices assert without conflict', () => {
      const view = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .affirms('s2', 'sohr', SAT_EVENING, true)
        .view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.values).toEqual([{ value: true, voices: ['rcc', 'sohr'] }]);
      expect(view.conflicts).toEqual([]);
    });

    it('is contested when two voices conflict', () => {
      const view = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .affirms('s2', 'coalition', SUN, false)
        .view(sources);
      expect(view.status).toBe('contested');
      // Each side names its voices and the statement that is each one's position.
      expect(view.conflicts).toEqual([
        {
          a: {
            stance: 'affirms',
            value: true,
            voices: [
              {
                voice: 'rcc',
                voiceName: 'Name of rcc',
                sourceId: 'alloush',
                statementId: 's1',
                stance: 'affirms',
              },
            ],
          },
          b: {
            stance: 'affirms',
            value: false,
            voices: [
              {
                voice: 'coalition',
                voiceName: 'Name of coalition',
                sourceId: 'coalition',
                statementId: 's2',
                stance: 'affirms',
              },
            ],
          },
          reason: 'incompatible-values',
        },
      ]);
      expect(view.agreedValue).toBeNull();
      expect(view.values).toEqual([
        { value: true, voices: ['rcc'] },
        { value: false, voices: ['coalition'] },
      ]);
    });
  });

  describe('supersession', () => {
    it("within one source: the later stated statement is the source's position", () => {
      const stream = new ClaimStream()
        .affirms('sat', 'alloush', SAT, true)
        .report('sun', 'alloush', 'uncertain', SUN);
      const view = stream.view(sources);
      expect(view.status).toBe('unconfirmed');
      expect(view.positions.map((p) => p.statementId)).toEqual(['sun']);
      expect(view.statementCounts).toEqual({ total: 2, live: 2, superseded: 1, retracted: 0 });
      expect(stream.statements().map((s) => [s.statementId, s.superseded])).toEqual([
        ['sat', true],
        ['sun', false],
      ]);
    });

    it('goes by stated time, not by the order we recorded them', () => {
      const view = new ClaimStream()
        .affirms('sun', 'alloush', SUN, true)
        .affirms('sat', 'alloush', SAT, false)
        .view(sources);
      expect(view.positions.map((p) => p.statementId)).toEqual(['sun']);
      expect(view.values).toEqual([{ value: true, voices: ['rcc'] }]);
    });

    it('breaks a tie in stated time in favour of the later recorded', () => {
      const view = new ClaimStream()
        .affirms('first', 'alloush', SAT, true)
        .affirms('second', 'alloush', '2017-10-14T12:00:00.000Z', false)
        .view(sources);
      expect(view.positions.map((p) => p.statementId)).toEqual(['second']);
    });

    it('within one voice: two SDF spokesmen are one voice, Sunday supersedes Saturday, no conflict', () => {
      const view = new ClaimStream()
        .affirms('silo-sat', 'silo', SAT, true)
        .affirms('bali-sun', 'bali', SUN, false)
        .view(sources);
      expect(view.status).toBe('single-source');
      expect(view.conflicts).toEqual([]);
      expect(view.positions.map((p) => p.statementId)).toEqual(['silo-sat', 'bali-sun']);
      expect(view.voices).toEqual([
        {
          voice: 'sdf',
          voiceName: 'Name of sdf',
          stance: 'affirms',
          value: false,
          statementId: 'bali-sun',
          sourceId: 'bali',
        },
      ]);
      expect(view.values).toEqual([{ value: false, voices: ['sdf'] }]);
    });

    it('within one voice: a tie in stated time goes to the later recorded', () => {
      const view = new ClaimStream()
        .affirms('bali', 'bali', SUN, false)
        .affirms('silo', 'silo', SUN, true)
        .view(sources);
      expect(view.voices.map((v) => v.statementId)).toEqual(['silo']);
    });

    it('an organization and its affiliated spokesman never conflict', () => {
      const view = new ClaimStream()
        .affirms('statement', 'coalition', SAT, false)
        .affirms('dillon', 'dillon', SUN, true)
        .view(sources);
      expect(view.status).toBe('single-source');
      expect(view.conflicts).toEqual([]);
      expect(view.voices.map((v) => [v.voice, v.statementId])).toEqual([['coalition', 'dillon']]);
    });

    it('a voice whose latest word is "declined" no longer asserts', () => {
      const view = new ClaimStream()
        .affirms('statement', 'coalition', SAT, false)
        .report('dillon', 'dillon', 'declined', SUN)
        .affirms('alloush', 'alloush', SAT, true)
        .view(sources);
      expect(view.status).toBe('single-source');
    });
  });

  describe('boolean denials', () => {
    it('denies without a value is affirming false', () => {
      const view = new ClaimStream()
        .affirms('s1', 'coalition', SAT, false)
        .denies('s2', 'silo', SUN)
        .view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.values).toEqual([{ value: false, voices: ['coalition', 'sdf'] }]);
    });

    it('denies v is affirming !v', () => {
      const corroborated = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .denies('s2', 'sohr', SUN, false)
        .view(sources);
      expect(corroborated.status).toBe('corroborated');
      expect(corroborated.values).toEqual([{ value: true, voices: ['rcc', 'sohr'] }]);
      const contested = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .denies('s2', 'sohr', SUN, true)
        .view(sources);
      expect(contested.status).toBe('contested');
    });

    it('a denial against an affirmation is a conflict of values', () => {
      const view = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .denies('s2', 'silo', SUN)
        .view(sources);
      expect(view.conflicts.map((c) => c.reason)).toEqual(['incompatible-values']);
    });
  });

  describe('quantities', () => {
    const quantity = (a: QuantityValue, b: QuantityValue): string =>
      new ClaimStream('quantity').affirms('s1', 'silo', SUN, a).affirms('s2', 'sohr', SUN, b).view(sources)
        .status;

    it('exact within a range corroborates; outside it contests', () => {
      expect(quantity(exact(300), { min: 200, max: 300 })).toBe('corroborated');
      expect(quantity(exact(301), { min: 200, max: 300 })).toBe('contested');
    });

    it('approx n spans [0.9n, 1.1n], edges included', () => {
      expect(quantity({ approx: 3000 }, exact(3300))).toBe('corroborated');
      expect(quantity({ approx: 3000 }, exact(2700))).toBe('corroborated');
      expect(quantity({ approx: 3000 }, exact(3301))).toBe('contested');
      expect(quantity({ approx: 3000 }, exact(2699))).toBe('contested');
    });

    it('shows compatible but different values apart, each with its voices', () => {
      const view = new ClaimStream('quantity', 'c', 'fighters')
        .affirms('s1', 'silo', SUN, { min: 200, max: 300 })
        .affirms('s2', 'sohr', SUN, exact(300))
        .affirms('s3', 'elders', SUN, { min: 300, max: 200 })
        .view(sources);
      expect(view.unit).toBe('fighters');
      expect(view.values).toEqual([
        { value: { min: 200, max: 300 }, voices: ['sdf', 'elders'] },
        { value: exact(300), voices: ['sohr'] },
      ]);
    });
  });

  describe('dates', () => {
    const dates = (a: DateValue, b: DateValue): string =>
      new ClaimStream('date').affirms('s1', 'coalition', SUN, a).affirms('s2', 'sohr', SUN, b).view(sources)
        .status;

    it('agree at the coarser precision', () => {
      expect(dates({ date: '2017-10', precision: 'month' }, day('2017-10-12'))).toBe('corroborated');
      expect(dates(day('2017-10-12'), day('2017-10-13'))).toBe('contested');
    });
  });

  describe('texts', () => {
    it('are one value with and without diacritics, tatweel and alef forms', () => {
      const view = new ClaimStream('text')
        .affirms('s1', 'alloush', SAT, 'مستشفى الرَّقَّة الوطني')
        .affirms('s2', 'sohr', SUN, 'مستشفى الرقــة الوطني')
        .affirms('s3', 'local', SUN, 'مستشفى ٱلرقة الوطني')
        .view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.values).toEqual([{ value: 'مستشفى الرَّقَّة الوطني', voices: ['rcc', 'sohr', 'local'] }]);
    });
  });

  describe('denials on other kinds', () => {
    it('denying the proposition as a whole conflicts with an affirmation', () => {
      const view = new ClaimStream('quantity')
        .affirms('s1', 'silo', SAT, exact(275))
        .denies('s2', 'sohr', SUN)
        .view(sources);
      expect(view.status).toBe('contested');
      expect(view.conflicts).toEqual([
        {
          a: {
            stance: 'affirms',
            value: exact(275),
            voices: [expect.objectContaining({ statementId: 's1', sourceId: 'silo', voice: 'sdf' })],
          },
          b: {
            stance: 'denies',
            voices: [expect.objectContaining({ statementId: 's2', sourceId: 'sohr', voice: 'sohr' })],
          },
          reason: 'denies-proposition',
        },
      ]);
      expect(view.values).toEqual([{ value: exact(275), voices: ['sdf'] }]);
    });

    it('denying a value compatible with an affirmed one conflicts', () => {
      const view = new ClaimStream('quantity')
        .denies('s1', 'sohr', SAT, exact(250))
        .affirms('s2', 'silo', SUN, { min: 200, max: 300 })
        .view(sources);
      expect(view.status).toBe('contested');
      expect(view.conflicts).toEqual([
        {
          a: {
            stance: 'denies',
            value: exact(250),
            voices: [expect.objectContaining({ statementId: 's1', sourceId: 'sohr', voice: 'sohr' })],
          },
          b: {
            stance: 'affirms',
            value: { min: 200, max: 300 },
            voices: [expect.objectContaining({ statementId: 's2', sourceId: 'silo', voice: 'sdf' })],
          },
          reason: 'denies-compatible-value',
        },
      ]);
    });

    it('denying a value incompatible with the affirmed one agrees with it', () => {
      const view = new ClaimStream('quantity')
        .affirms('s1', 'silo', SAT, exact(275))
        .denies('s2', 'sohr', SUN, exact(300))
        .view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.values).toEqual([{ value: exact(275), voices: ['sdf'] }]);
    });

    it('two denials never conflict', () => {
      const view = new ClaimStream('date')
        .denies('s1', 'coalition', SAT)
        .denies('s2', 'sohr', SUN, day('2017-10-12'))
        .view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.values).toEqual([]);
    });
  });

  describe('corrections', () => {
    it('apply in place: a corrected value changes the status; the original is kept', () => {
      const stream = new ClaimStream().affirms('s1', 'alloush', SAT, true).affirms('s2', 'sohr', SUN, false);
      expect(stream.view(sources).status).toBe('contested');
      stream.correct('s2', { value: true }, 'we typed no for yes');
      const view = stream.view(sources);
      expect(view.status).toBe('corroborated');
      expect(view.agreedValue).toBe(true);
      const s2 = stream.statements().find((s) => s.statementId === 's2')!;
      expect(s2.value).toBe(true);
      expect(s2.original?.value).toBe(false);
      expect(s2.corrections.map((c) => c.reason)).toEqual(['we typed no for yes']);
      expect('original' in stream.statements()[0]!).toBe(false);
    });

    it('a corrected stated time decides supersession', () => {
      const view = new ClaimStream()
        .affirms('a', 'alloush', SAT, true)
        .affirms('b', 'alloush', SUN, false)
        .correct('a', { statedAt: { at: MON, precision: 'day' } })
        .view(sources);
      expect(view.positions.map((p) => p.statementId)).toEqual(['a']);
    });

    it('a via removed by correction is gone from the view', () => {
      const stream = new ClaimStream()
        .report('s1', 'silo', 'affirms', SUN, { value: true, via: { outlet: 'Reuters', kind: 'wire' } })
        .correct('s1', { via: null });
      expect('via' in stream.view(sources).positions[0]!).toBe(false);
      expect(stream.statements()[0]!.original?.via).toEqual({ outlet: 'Reuters', kind: 'wire' });
    });
  });

  describe('retractions', () => {
    it('a retracted statement is dead: an earlier statement of the source is its position again', () => {
      const stream = new ClaimStream()
        .affirms('sat', 'alloush', SAT, true)
        .affirms('sun', 'alloush', SUN, false)
        .affirms('sohr', 'sohr', SUN, true)
        .retract('sun', 'misattributed');
      expect(stream.view(sources).status).toBe('corroborated');
      const sun = stream.statements().find((s) => s.statementId === 'sun')!;
      expect(sun).toMatchObject({ live: false, superseded: false, retraction: { reason: 'misattributed' } });
      expect(stream.statements().find((s) => s.statementId === 'sat')).toMatchObject({
        live: true,
        superseded: false,
      });
    });

    it('removes a conflict when one side is retracted', () => {
      const view = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .affirms('s2', 'coalition', SUN, false)
        .retract('s2', 'outlet-corrected')
        .view(sources);
      expect(view.status).toBe('single-source');
      expect(view.conflicts).toEqual([]);
    });
  });

  describe('statedBefore', () => {
    const stream = (): ClaimStream =>
      new ClaimStream()
        .affirms('alloush-sat', 'alloush', SAT, true)
        .affirms('sohr-eve', 'sohr', SAT_EVENING, true)
        .affirms('coalition-sun', 'coalition', SUN, false);

    it('keeps only statements said before the cut', () => {
      const view = stream().view(sources, { statedBefore: '2017-10-15T00:00:00Z' });
      expect(view.status).toBe('corroborated');
      expect(view.statementCounts.total).toBe(2);
      expect(
        stream()
          .statements({ statedBefore: '2017-10-15T00:00:00Z' })
          .map((s) => s.statementId),
      ).toEqual(['alloush-sat', 'sohr-eve']);
      expect(stream().view(sources).status).toBe('contested');
    });

    it('excludes a statement stated exactly at the cut', () => {
      expect(stream().view(sources, { statedBefore: SAT_EVENING }).status).toBe('single-source');
    });

    it('is unsourced when nothing had been said before the cut', () => {
      expect(stream().view(sources, { statedBefore: FRI }).status).toBe('unsourced');
    });

    it('is retracted when everything said before the cut has since been retracted', () => {
      const view = stream().retract('alloush-sat').view(sources, { statedBefore: SAT_EVENING });
      expect(view.status).toBe('retracted');
    });

    it('filters on the corrected stated time', () => {
      const view = stream()
        .correct('coalition-sun', { statedAt: { at: SAT, precision: 'day' } })
        .view(sources, { statedBefore: '2017-10-15T00:00:00Z' });
      expect(view.status).toBe('contested');
    });

    it('refuses a cut that is not an instant', () => {
      expect(() => stream().view(sources, { statedBefore: 'Saturday' })).toThrow(RangeError);
    });
  });

  describe('verdict', () => {
    it('is shown beside the status, and gone once withdrawn', () => {
      const stream = new ClaimStream()
        .affirms('s1', 'alloush', SAT, true)
        .affirms('s2', 'coalition', SUN, false);
      stream.issue('v1', 'mixed', ['s1', 's2']);
      const view = stream.view(sources);
      expect(view.status).toBe('contested');
      expect(view.verdict).toEqual({
        verdictId: 'v1',
        rating: 'mixed',
        rationale: 'because v1',
        evidence: ['s1', 's2'],
        issuedAt: stream.events[3]!.recordedAt,
        position: stream.events[3]!.position,
      });
      stream.withdraw('v1');
      expect(stream.view(sources).verdict).toBeNull();
      expect(stream.view(sources).status).toBe('contested');
    });
  });

  describe('shape', () => {
    const raqqa = (): ClaimStream =>
      new ClaimStream()
        .report('dillon', 'dillon', 'declined', FRI)
        .affirms('alloush', 'alloush', SAT, true)
        .report('sohr', 'sohr', 'affirms', SAT_EVENING, {
          value: true,
          via: { outlet: 'SOHR', kind: 'online' },
        })
        .affirms('coalition', 'coalition', SUN, false)
        .denies('silo', 'silo', SUN)
        .affirms('unknown', 'ghost', MON, true);

    it('derives the Raqqa foreign-fighters claim as contested, conflicts in stated order', () => {
      const view = raqqa().view(sources);
      expect(view.status).toBe('contested');
      expect(view.voices.map((v) => v.voice)).toEqual(['rcc', 'sohr', 'coalition', 'sdf', 'ghost']);
      expect(view.values).toEqual([
        { value: true, voices: ['rcc', 'sohr', 'ghost'] },
        { value: false, voices: ['coalition', 'sdf'] },
      ]);
      // One conflict between the two sides, not six between pairs of voices.
      expect(view.conflicts).toHaveLength(1);
      const [conflict] = view.conflicts;
      expect(conflict!.a.voices.map((v) => v.voice)).toEqual(['rcc', 'sohr', 'ghost']);
      expect(conflict!.b.voices.map((v) => v.voice)).toEqual(['coalition', 'sdf']);
      expect(conflict!.b.voices.map((v) => [v.statementId, v.stance])).toEqual([
        ['coalition', 'affirms'],
        ['silo', 'denies'],
      ]);
      expect(conflict!.reason).toBe('incompatible-values');
    });

    it('names sources and voices from the lookup, falling back to the id', () => {
      const view = raqqa().view(sources);
      expect(view.positions.find((p) => p.sourceId === 'silo')).toMatchObject({
        sourceName: 'Name of silo',
        voice: 'sdf',
        voiceName: 'Name of sdf',
      });
      expect(view.positions.find((p) => p.sourceId === 'ghost')).toMatchObject({
        sourceName: 'ghost',
        voice: 'ghost',
        voiceName: 'ghost',
      });
      const orphan = deriveClaimView(raqqa().record(), lookup(person('silo', 'sdf')));
      expect(orphan.positions.find((p) => p.sourceId === 'silo')).toMatchObject({
        voice: 'sdf',
        voiceName: 'sdf',
      });
    });

    it('has a fixed key order and no undefined-valued keys', () => {
      const view = raqqa().issue('v', 'false', ['silo']).view(sources);
      expect(Object.keys(view)).toEqual([
        'claimId',
        'storyId',
        'proposition',
        'valueKind',
        'status',
        'agreedValue',
        'positions',
        'voices',
        'values',
        'conflicts',
        'verdict',
        'mergedInto',
        'merged',
        'statementCounts',
        'links',
        'streamVersion',
        'position',
        'lastRecordedAt',
      ]);
      expect(Object.keys(view.positions.find((p) => p.sourceId === 'sohr')!)).toEqual([
        'sourceId',
        'sourceName',
        'voice',
        'voiceName',
        'stance',
        'value',
        'statementId',
        'statedAt',
        'quote',
        'via',
        'attribution',
      ]);
      expect(undefinedKeys(view)).toEqual([]);
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    });

    it('is deterministic and does not mutate the record', () => {
      const record = deepFreeze(raqqa().record());
      expect(JSON.stringify(deriveClaimView(record, sources))).toBe(
        JSON.stringify(deriveClaimView(record, sources)),
      );
    });

    it('carries the stream metadata of the last event', () => {
      const stream = raqqa();
      const last = stream.events.at(-1)!;
      expect(stream.view(sources)).toMatchObject({
        streamVersion: last.streamVersion,
        position: last.position,
        lastRecordedAt: last.recordedAt,
      });
    });
  });
});
