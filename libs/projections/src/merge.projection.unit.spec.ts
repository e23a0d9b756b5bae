import {
  type ClaimEvent,
  claimReadStateView,
  copyClaimReadState,
  deriveClaimView,
  evolveClaimReadState,
  foldClaimRecord,
  type RecordedClaimEvent,
  type SourceEvent,
  statementAt,
  toAbsorbed,
} from '@app/claims';
import { HistoricalStatements } from './queries/historical-statements';
import { MapReadModel } from './testing/map-read-model';

/**
 * Decision 0020: given two claims' events and a merge, the read model answers the merged claim
 * with `mergedInto`, and the surviving claim counts the merged statements as if reported on it
 * (same ids, same report positions), exactly as the from-scratch fold of its stream does.
 */
const registered = (sourceId: string): SourceEvent => ({
  type: 'SourceRegistered',
  data: { sourceId, name: sourceId.toUpperCase(), kind: 'organization', protected: false },
});
const opened = (claimId: string): ClaimEvent => ({
  type: 'ClaimOpened',
  data: {
    claimId,
    storyId: 'raqqa',
    proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
    valueKind: 'boolean',
  },
});
const reported = (claimId: string, statementId: string, sourceId: string, value: boolean, day: string) =>
  ({
    type: 'StatementReported',
    data: {
      claimId,
      statementId,
      sourceId,
      stance: 'affirms',
      value,
      quote: { text: 'نعم', language: 'ar' },
      statedAt: { at: `2017-10-${day}T12:00:00.000Z`, precision: 'day' },
      attribution: 'on-record',
    },
  }) satisfies ClaimEvent;

/** Projects claim events stream by stream, keeping each stream's recorded events for the folds. */
class TwoClaims {
  readonly rm = new MapReadModel();
  readonly streams = new Map<string, RecordedClaimEvent[]>();

  add(...events: (ClaimEvent | SourceEvent)[]): this {
    for (const event of events) {
      if (!('claimId' in event.data)) {
        this.rm.project(event);
        continue;
      }
      const claimId = (event as ClaimEvent).data.claimId;
      const stream = this.streams.get(claimId) ?? [];
      this.rm.project(event, stream.length + 1);
      const last = this.rm.last!;
      stream.push({
        event: event as ClaimEvent,
        position: last.position.toString(),
        recordedAt: last.recordedAt,
        streamVersion: last.streamVersion,
      });
      this.streams.set(claimId, stream);
    }
    return this;
  }

  /** What the handler does: close `from`, then absorb its statements as they stood into `into`. */
  merge(from: string, into: string): this {
    const reason = 'one proposition in two wordings';
    this.add({ type: 'ClaimsMerged', data: { claimId: from, intoClaimId: into, reason } });
    const statements = foldClaimRecord(this.streams.get(from)!)!.statements.map(toAbsorbed);
    return this.add({
      type: 'ClaimAbsorbed',
      data: { claimId: into, mergedClaimId: from, reason, statements },
    });
  }

  scratch(claimId: string, upTo = Infinity) {
    const events = this.streams.get(claimId)!.filter((e) => Number(e.position) <= upTo);
    return deriveClaimView(foldClaimRecord(events)!, this.rm.source);
  }
}

const story = () =>
  new TwoClaims().add(
    registered('council'),
    registered('sdf'),
    registered('sohr'),
    opened('c1'),
    opened('c2'),
    reported('c1', 'st1', 'council', true, '14'),
    reported('c2', 'st2', 'sdf', true, '13'),
    reported('c2', 'st3', 'sdf', false, '15'),
    reported('c2', 'st4', 'sohr', true, '14'),
    { type: 'StatementRetracted', data: { claimId: 'c2', statementId: 'st4', reason: 'misattributed' } },
  );

describe('a merge in the read model', () => {
  it('answers the merged claim with mergedInto and the surviving one with its statements', () => {
    const claims = story().merge('c2', 'c1');
    const { rm } = claims;
    expect(rm.view('c2')).toMatchObject({ mergedInto: 'c1', merged: [], status: 'single-source' });
    const survivor = rm.view('c1');
    expect(survivor).toMatchObject({ mergedInto: null, merged: ['c2'], status: 'contested' });
    // sdf's latest (st3, false) against the council's true; st2 superseded, st4 retracted.
    expect(survivor.positions.map((p) => [p.sourceId, p.statementId])).toEqual([
      ['council', 'st1'],
      ['sdf', 'st3'],
    ]);
    expect(survivor.statementCounts).toEqual({ total: 4, live: 3, superseded: 1, retracted: 1 });
    expect(survivor).toEqual(claims.scratch('c1'));
    // The merged statements are rows of the surviving claim, with their own ids and report positions.
    const st2 = rm.statement('c1', 'st2')!;
    expect(st2).toMatchObject({ absorbed: { from: 'c2' } });
    expect(st2.reportedPosition).toBe(rm.statement('c2', 'st2')!.reportedPosition);
    expect(rm.claimsWithSources(['sdf']).sort()).toEqual(['c1', 'c2']);
  });

  it('keeps counting after the merge: a retraction of a merged statement on the surviving claim', () => {
    const claims = story()
      .merge('c2', 'c1')
      .add({ type: 'StatementRetracted', data: { claimId: 'c1', statementId: 'st3', reason: 'other' } });
    const view = claims.rm.view('c1');
    // sdf falls back to its earlier true: no conflict left.
    expect(view.positions.find((p) => p.sourceId === 'sdf')?.statementId).toBe('st2');
    expect(view.status).toBe('corroborated');
    expect(view).toEqual(claims.scratch('c1'));
  });

  it('folds a cut from a snapshot before the merge to two claims, and after it to one', async () => {
    const claims = story();
    const before = copyClaimReadState(claims.rm.claim('c1')!);
    const beforePosition = claims.rm.head.toString();
    claims
      .merge('c2', 'c1')
      .add({ type: 'StatementRetracted', data: { claimId: 'c1', statementId: 'st3', reason: 'other' } });
    const { rm } = claims;
    const events = claims.streams.get('c1')!.filter((e) => BigInt(e.position) > BigInt(before.position));
    const foldTo = async (cut: bigint) => {
      // A snapshot taken before the merge, the rows as they stand now, the events up to the cut.
      const statements = new HistoricalStatements(rm, 'c1', before.position);
      let state = copyClaimReadState(before);
      for (const recorded of events.filter((e) => BigInt(e.position) <= cut)) {
        await statements.prepare(recorded.event);
        const step = evolveClaimReadState(state, recorded, statements);
        state = step.state;
        if (step.statement) statements.remember(step.statement);
        for (const absorbed of step.absorbed ?? []) statements.remember(absorbed);
      }
      return claimReadStateView(state, rm.source);
    };
    const atBefore = await foldTo(BigInt(beforePosition));
    expect(atBefore).toMatchObject({ merged: [], status: 'single-source' });
    expect(atBefore).toEqual(claims.scratch('c1', Number(beforePosition)));
    // Rows taken back before the merge do not show the merged statements.
    expect(statementAt(rm.statement('c1', 'st3')!, beforePosition)).toBeUndefined();
    expect(statementAt(rm.statement('c1', 'st3')!, rm.head.toString())).toBeDefined();
    const atHead = await foldTo(rm.head);
    expect(atHead).toEqual(rm.view('c1'));
  });
});
