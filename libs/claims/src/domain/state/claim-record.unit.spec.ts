import { activeVerdict, type RecordedClaimEvent } from './claim-header';
import { type ClaimRecord, evolveClaimRecord } from './claim-record';
import { ClaimStream, deepFreeze, fold, SAT, SUN, undefinedKeys } from './claim-stream.fixture';
import { StreamInvariantError } from './stream-invariant.error';

const via = { outlet: 'Reuters', kind: 'wire', url: 'https://example.org/r' } as const;

describe('evolveClaimRecord', () => {
  it('opens a claim with the stream metadata and no unit key when there is none', () => {
    const record = new ClaimStream('boolean').record();
    expect(record).toMatchObject({
      claimId: 'claim-1',
      storyId: 'raqqa',
      valueKind: 'boolean',
      openedPosition: '1000',
      streamVersion: 0,
      position: '1000',
      statements: [],
      verdicts: [],
    });
    expect('unit' in record).toBe(false);
    expect(new ClaimStream('quantity', 'c2', 'fighters').record().unit).toBe('fighters');
  });

  it('records a statement with its original and current fields and where it was recorded', () => {
    const stream = new ClaimStream('quantity').report('s1', 'silo', 'affirms', SUN, {
      value: { exact: 275 },
      via,
    });
    const [statement] = stream.record().statements;
    expect(statement).toEqual({
      statementId: 's1',
      sourceId: 'silo',
      original: statement!.current,
      current: {
        stance: 'affirms',
        value: { exact: 275 },
        quote: { text: 'quote of s1', language: 'ar' },
        statedAt: { at: SUN, precision: 'hour' },
        via,
        attribution: 'on-record',
      },
      reportedPosition: '1007',
      recordedAt: stream.events[1]!.recordedAt,
      corrections: [],
    });
    expect(stream.record()).toMatchObject({
      streamVersion: 1,
      position: '1007',
      lastRecordedAt: stream.events[1]!.recordedAt,
    });
  });

  it('applies corrections in place and keeps the original', () => {
    const record = new ClaimStream('quantity')
      .report('s1', 'silo', 'affirms', SAT, { value: { exact: 2750 }, via })
      .correct('s1', { value: { exact: 275 }, statedAt: { at: SUN, precision: 'day' } }, 'extra zero')
      .record();
    const statement = record.statements[0]!;
    expect(statement.original.value).toEqual({ exact: 2750 });
    expect(statement.original.statedAt.at).toBe(SAT);
    expect(statement.current.value).toEqual({ exact: 275 });
    expect(statement.current.statedAt).toEqual({ at: SUN, precision: 'day' });
    expect(statement.corrections).toEqual([
      {
        position: '1014',
        recordedAt: '2017-10-16T00:02:00.000Z',
        reason: 'extra zero',
        changes: { value: { exact: 275 }, statedAt: { at: SUN, precision: 'day' } },
      },
    ]);
  });

  it('removes value and via when a correction sets them to null', () => {
    const statement = new ClaimStream('quantity')
      .report('s1', 'silo', 'denies', SUN, { value: { exact: 275 }, via })
      .correct('s1', { value: null, via: null })
      .record().statements[0]!;
    expect('value' in statement.current).toBe(false);
    expect('via' in statement.current).toBe(false);
    expect(statement.original.via).toEqual(via);
    expect(statement.corrections[0]!.changes).toEqual({ value: null, via: null });
  });

  it('records a retraction without deleting anything', () => {
    const statement = new ClaimStream()
      .affirms('s1', 'silo', SUN, true)
      .retract('s1', 'misattributed', 'it was Bali')
      .record().statements[0]!;
    expect(statement.retraction).toEqual({
      reason: 'misattributed',
      note: 'it was Bali',
      position: '1014',
      recordedAt: '2017-10-16T00:02:00.000Z',
    });
    expect(statement.current.value).toBe(true);
  });

  it('keeps rewordings with the proposition they replaced', () => {
    const record = new ClaimStream()
      .reword('Foreign ISIS fighters are included in the evacuation deal', 'precision')
      .record();
    expect(record.proposition.text).toBe('Foreign ISIS fighters are included in the evacuation deal');
    expect(record.rewordings).toEqual([
      {
        previous: { text: 'Foreign fighters are included in the deal', language: 'en' },
        proposition: { text: 'Foreign ISIS fighters are included in the evacuation deal', language: 'en' },
        reason: 'precision',
        position: '1007',
        recordedAt: '2017-10-16T00:01:00.000Z',
      },
    ]);
  });

  it('keeps issued and withdrawn verdicts; the active one is the latest not withdrawn', () => {
    const stream = new ClaimStream().affirms('s1', 'silo', SUN, true).issue('v1', 'mixed', ['s1']);
    expect(activeVerdict(stream.record())?.verdictId).toBe('v1');
    stream.withdraw('v1', 'premature');
    const record = stream.record();
    expect(activeVerdict(record)).toBeUndefined();
    expect(record.verdicts[0]!.withdrawal).toEqual({
      reason: 'premature',
      position: '1021',
      recordedAt: '2017-10-16T00:03:00.000Z',
    });
    expect(activeVerdict(stream.issue('v2', 'false', ['s1']).record())?.verdictId).toBe('v2');
  });

  it('never mutates the previous record or the event', () => {
    const stream = new ClaimStream('quantity').report('s1', 'silo', 'affirms', SAT, {
      value: { exact: 1 },
      via,
    });
    const before = deepFreeze(stream.record());
    const snapshot = JSON.stringify(before);
    const events: RecordedClaimEvent[] = [
      {
        event: {
          type: 'StatementCorrected',
          data: { claimId: 'claim-1', statementId: 's1', changes: { value: { exact: 2 } }, reason: 'r' },
        },
        position: '2000',
        recordedAt: SUN,
        streamVersion: 2,
      },
      {
        event: {
          type: 'StatementRetracted',
          data: { claimId: 'claim-1', statementId: 's1', reason: 'other' },
        },
        position: '2001',
        recordedAt: SUN,
        streamVersion: 3,
      },
      {
        event: {
          type: 'VerdictIssued',
          data: { claimId: 'claim-1', verdictId: 'v', rating: 'false', rationale: 'r', evidence: ['s1'] },
        },
        position: '2002',
        recordedAt: SUN,
        streamVersion: 4,
      },
      {
        event: { type: 'VerdictWithdrawn', data: { claimId: 'claim-1', verdictId: 'v', reason: 'r' } },
        position: '2003',
        recordedAt: SUN,
        streamVersion: 5,
      },
      {
        event: {
          type: 'ClaimReworded',
          data: { claimId: 'claim-1', proposition: { text: 't', language: 'en' }, reason: 'r' },
        },
        position: '2004',
        recordedAt: SUN,
        streamVersion: 6,
      },
    ];
    let record: ClaimRecord = before;
    for (const recorded of events) record = evolveClaimRecord(deepFreeze(record), deepFreeze(recorded));
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(record.streamVersion).toBe(6);
  });

  it('rebuilds byte for byte, whatever key order the store returns event data in', () => {
    const tidy = new ClaimStream('quantity', 'c', 'fighters')
      .report('s1', 'silo', 'affirms', SAT, { value: { min: 200, max: 300 }, via })
      .correct('s1', { via: null, value: { approx: 250 } });
    const shuffled: RecordedClaimEvent[] = tidy.events.map((recorded) => ({
      ...recorded,
      event: JSON.parse(JSON.stringify(recorded.event), (_key, value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      ) as RecordedClaimEvent['event'],
    }));
    expect(JSON.stringify(fold(shuffled))).toBe(JSON.stringify(fold(tidy.events)));
    expect(undefinedKeys(fold(shuffled))).toEqual([]);
  });

  it('survives a JSON round trip unchanged (read models store it as JSON)', () => {
    const record = new ClaimStream()
      .affirms('s1', 'silo', SAT, true)
      .correct('s1', { value: false })
      .retract('s1')
      .record();
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('refuses streams the write side could never produce', () => {
    const stream = new ClaimStream().affirms('s1', 'silo', SAT, true);
    const [opened, reported] = stream.events;
    expect(() => evolveClaimRecord(undefined, reported!)).toThrow(StreamInvariantError);
    expect(() => evolveClaimRecord(stream.record(), opened!)).toThrow(StreamInvariantError);
    expect(() => evolveClaimRecord(stream.record(), reported!)).toThrow(StreamInvariantError);
    expect(() => new ClaimStream().correct('nope', { value: true }).record()).toThrow(StreamInvariantError);
    expect(() => new ClaimStream().withdraw('nope').record()).toThrow(StreamInvariantError);
    expect(() =>
      new ClaimStream().affirms('s1', 'a', SAT, true).retract('s1').retract('s1').record(),
    ).toThrow(StreamInvariantError);
    const other = new ClaimStream('boolean', 'other-claim').affirms('x', 'a', SAT, true).events[1]!;
    expect(() => evolveClaimRecord(stream.record(), other)).toThrow(StreamInvariantError);
  });
});
