import { type ClaimRecord, evolveClaimRecord } from './claim-record';
import { ClaimStream, lookup, organization, person, SAT, SUN, undefinedKeys } from './claim-stream.fixture';
import { deriveClaimView } from './claim-view';
import { recordTimelineContext, type TimelineEntry, timelineEntry } from './timeline';

const sources = lookup(organization('sdf'), person('silo', 'sdf'), organization('sohr'));

/** What the projection does: fold, derive, and write one entry per event. */
function timeline(stream: ClaimStream): TimelineEntry[] {
  let record: ClaimRecord | undefined;
  return stream.events.map((recorded) => {
    record = evolveClaimRecord(record, recorded);
    return timelineEntry(
      recorded,
      recordTimelineContext(record, recorded),
      deriveClaimView(record, sources).status,
    );
  });
}

describe('timelineEntry', () => {
  const stream = (): ClaimStream =>
    new ClaimStream()
      .report('s1', 'silo', 'affirms', SAT, { value: false, via: { outlet: 'Reuters', kind: 'wire' } })
      .affirms('s2', 'sohr', SUN, true)
      .correct('s1', { value: true, via: null }, 'we typed no for yes')
      .issue('v1', 'true', ['s1', 's2'])
      .retract('s2', 'source-withdrew', 'SOHR took it back')
      .withdraw('v1', 'evidence gone')
      .reword('Foreign ISIS fighters are included in the deal', 'name the group');

  it('shows each statement as it stood right after the event, with the status then', () => {
    const entries = timeline(stream());
    expect(entries.map((e) => [e.type, e.statusAfter])).toEqual([
      ['ClaimOpened', 'unsourced'],
      ['StatementReported', 'single-source'],
      ['StatementReported', 'contested'],
      ['StatementCorrected', 'corroborated'],
      ['VerdictIssued', 'corroborated'],
      ['StatementRetracted', 'single-source'],
      ['VerdictWithdrawn', 'single-source'],
      ['ClaimReworded', 'single-source'],
    ]);
    expect(entries[1]).toEqual({
      position: '1007',
      streamVersion: 1,
      recordedAt: '2017-10-16T00:01:00.000Z',
      type: 'StatementReported',
      statementId: 's1',
      statement: {
        sourceId: 'silo',
        stance: 'affirms',
        value: false,
        quote: { text: 'quote of s1', language: 'ar' },
        statedAt: { at: SAT, precision: 'hour' },
        via: { outlet: 'Reuters', kind: 'wire' },
        attribution: 'on-record',
        live: true,
      },
      statusAfter: 'single-source',
    });
  });

  it('shows a correction with what changed and why', () => {
    const entry = timeline(stream())[3]!;
    expect(entry).toMatchObject({
      statementId: 's1',
      changes: { value: true, via: null },
      reason: 'we typed no for yes',
    });
    expect(entry.statement?.value).toBe(true);
    expect(entry.statement && 'via' in entry.statement).toBe(false);
  });

  it('shows a retraction with its reason and note, the statement no longer live', () => {
    expect(timeline(stream())[5]).toMatchObject({
      statementId: 's2',
      statement: { live: false, value: true },
      reason: 'source-withdrew',
      note: 'SOHR took it back',
    });
  });

  it('shows what a relay rests on, whose fault a retraction was, and the moment of a figure', () => {
    const entries = timeline(
      new ClaimStream('quantity', 'claim-1', 'people', true)
        .report('s1', 'sohr', 'affirms', SAT, {
          value: { exact: 18 },
          asOf: { at: SAT, precision: 'day' },
          basis: { sourceId: 'sdf' },
        })
        .retract('s1', 'misattributed', undefined, 'channel'),
    );
    expect(entries[1]!.statement).toMatchObject({
      basis: { sourceId: 'sdf' },
      asOf: { at: SAT, precision: 'day' },
    });
    expect(entries[2]).toMatchObject({
      type: 'StatementRetracted',
      reason: 'misattributed',
      faultOf: 'channel',
    });
    expect(entries[2]).not.toHaveProperty('note');
  });

  it('shows verdicts and rewordings', () => {
    const entries = timeline(stream());
    expect(entries[4]!.verdict).toEqual({
      verdictId: 'v1',
      rating: 'true',
      rationale: 'because v1',
      evidence: ['s1', 's2'],
      active: true,
    });
    expect(entries[6]).toMatchObject({
      verdict: { verdictId: 'v1', active: false },
      reason: 'evidence gone',
    });
    expect(entries[0]!.proposition).toEqual({
      text: 'Foreign fighters are included in the deal',
      language: 'en',
    });
    expect(entries[7]).toMatchObject({
      proposition: { text: 'Foreign ISIS fighters are included in the deal', language: 'en' },
      reason: 'name the group',
    });
  });

  it('has a fixed key order and no undefined-valued keys', () => {
    const entries = timeline(stream());
    expect(Object.keys(entries[5]!)).toEqual([
      'position',
      'streamVersion',
      'recordedAt',
      'type',
      'statementId',
      'statement',
      'reason',
      'note',
      'statusAfter',
    ]);
    expect(Object.keys(entries[0]!)).toEqual([
      'position',
      'streamVersion',
      'recordedAt',
      'type',
      'proposition',
      'statusAfter',
    ]);
    expect(entries.flatMap((entry) => undefinedKeys(entry))).toEqual([]);
  });
});
