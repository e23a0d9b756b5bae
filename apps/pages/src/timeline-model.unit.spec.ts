import { conflictLinks, laneOrder, marksAt, statementsAt } from './timeline-model';
import type { StatementFields, TimelineEntry } from './view-types';

const statement = (sourceId: string, at: string, extra: Partial<StatementFields> = {}): StatementFields => ({
  sourceId,
  stance: 'affirms',
  value: true,
  quote: { text: 'نعم', language: 'ar' },
  statedAt: { at, precision: 'day' },
  attribution: 'on-record',
  live: true,
  ...extra,
});
const entry = (
  position: string,
  type: string,
  statementId?: string,
  fields?: StatementFields,
): TimelineEntry => ({
  position,
  recordedAt: '2026-01-01T00:00:00Z',
  type,
  statusAfter: 'single-source',
  ...(statementId === undefined ? {} : { statementId, statement: fields }),
});

describe('the claim timeline model', () => {
  const entries = [
    entry('1', 'ClaimOpened'),
    entry('2', 'StatementReported', 's1', statement('silo', '2017-10-14T00:00:00Z', { value: false })),
    entry('3', 'StatementReported', 's2', statement('bali', '2017-10-15T00:00:00Z')),
    entry('4', 'StatementReported', 's3', statement('alloush', '2017-10-13T00:00:00Z')),
    entry('5', 'StatementCorrected', 's3', statement('alloush', '2017-10-13T00:00:00Z', { value: false })),
    entry('6', 'StatementRetracted', 's2', statement('bali', '2017-10-15T00:00:00Z', { live: false })),
    entry('7', 'StatementReported', 's4', statement('silo', '2017-10-16T00:00:00Z')),
  ];

  it('folds entries up to a position: corrections in place, retractions kept as dead', () => {
    const at4 = statementsAt(entries, 4n);
    expect([...at4.keys()]).toEqual(['s1', 's2', 's3']);
    expect(at4.get('s3')?.fields.value).toBe(true);
    expect(at4.get('s2')?.retracted).toBe(false);
    const now = statementsAt(entries, undefined);
    expect(now.get('s3')?.fields.value).toBe(false);
    expect(now.get('s3')?.corrections.map((c) => c.position)).toEqual([5n]);
    expect(now.get('s2')?.retracted).toBe(true);
  });

  it('marks live statements that are not their source’s position as superseded by it', () => {
    const view = {
      positions: [
        {
          sourceId: 'silo',
          voice: 'sdf',
          stance: 'affirms' as const,
          statementId: 's4',
          statedAt: { at: '', precision: 'day' },
        },
      ],
    };
    const voices: Record<string, string> = { silo: 'sdf', bali: 'sdf', alloush: 'council' };
    const marks = marksAt(entries, view, {}, (sourceId) => voices[sourceId] ?? sourceId);
    expect(marks.find((mark) => mark.statementId === 's1')).toMatchObject({
      superseded: true,
      replacedBy: 's4',
    });
    // A retracted statement is dead, not superseded; the position itself is live.
    expect(marks.find((mark) => mark.statementId === 's2')).toMatchObject({
      superseded: false,
      retracted: true,
    });
    expect(marks.find((mark) => mark.statementId === 's4')).toMatchObject({
      superseded: false,
      voice: 'sdf',
    });
    // Sorted by stated time, lanes in the order their voices first spoke.
    expect(marks.map((mark) => mark.statementId)).toEqual(['s3', 's1', 's2', 's4']);
    expect(laneOrder(marksAt(entries, { positions: [] }, {}, (id) => voices[id] ?? id))).toEqual([
      'council',
      'sdf',
    ]);
  });

  it('keeps only what was said before a stated-time cut', () => {
    const marks = marksAt(entries, { positions: [] }, { statedBefore: '2017-10-14T00:00:00Z' }, (id) => id);
    expect(marks.map((mark) => mark.statementId)).toEqual(['s3']);
  });

  it('links every voice of one side of a conflict to every voice of the other', () => {
    const side = (ids: string[]) => ({
      stance: 'affirms' as const,
      voices: ids.map((id) => ({ voice: id, sourceId: id, statementId: id })),
    });
    const links = conflictLinks({
      conflicts: [{ a: side(['a1', 'a2']), b: side(['b1']), reason: 'incompatible-values' }],
    });
    expect(links).toEqual([
      { a: 'a1', b: 'b1', index: 0 },
      { a: 'a2', b: 'b1', index: 0 },
    ]);
  });

  it('says which source a relay relays: its basis source, or who made the statement it relays', () => {
    const relayed = [
      entry(
        '1',
        'StatementReported',
        'r1',
        statement('sohr', '2017-10-14T00:00:00Z', { basis: { sourceId: 'dgse' } }),
      ),
      entry(
        '2',
        'StatementReported',
        'r2',
        statement('afp', '2017-10-15T00:00:00Z', { basis: { statementId: 'r1' } }),
      ),
      entry('3', 'StatementReported', 'r3', statement('silo', '2017-10-15T00:00:00Z')),
    ];
    const marks = marksAt(relayed, { positions: [] }, {}, (sourceId) => sourceId);
    expect(Object.fromEntries(marks.map((mark) => [mark.statementId, mark.relays]))).toEqual({
      r1: 'dgse',
      r2: 'sohr',
      r3: undefined,
    });
    expect(marks.some((mark) => mark.relaysNothing)).toBe(false);
    // r1 retracted: the view says r2's relay rests on nothing, and so does its mark.
    const position = {
      sourceId: 'afp',
      voice: 'dgse',
      stance: 'affirms' as const,
      statementId: 'r2',
      statedAt: { at: '', precision: 'day' },
      relay: { sourceId: 'dgse', statementIds: ['r1'], retracted: true },
    };
    const after = marksAt(relayed, { positions: [position] }, {}, (sourceId) => sourceId);
    expect(after.filter((mark) => mark.relaysNothing).map((mark) => mark.statementId)).toEqual(['r2']);
  });
});
