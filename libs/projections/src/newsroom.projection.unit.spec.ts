import type { ClaimEvent, SourceEvent } from '@app/claims';
import { SNAPSHOT_EVERY } from './newsroom.projection';
import { MapReadModel } from './testing/map-read-model';

const registered = (
  sourceId: string,
  kind: 'person' | 'organization',
  affiliationId?: string,
): SourceEvent => ({
  type: 'SourceRegistered',
  data: {
    sourceId,
    name: sourceId.toUpperCase(),
    kind,
    protected: false,
    ...(affiliationId ? { affiliationId } : {}),
  },
});
const opened: ClaimEvent = {
  type: 'ClaimOpened',
  data: {
    claimId: 'c1',
    storyId: 's1',
    proposition: { text: 'Foreign fighters are included', language: 'en' },
    valueKind: 'boolean',
  },
};
const reported = (statementId: string, sourceId: string, value: boolean, at: string): ClaimEvent => ({
  type: 'StatementReported',
  data: {
    claimId: 'c1',
    statementId,
    sourceId,
    stance: 'affirms',
    value,
    quote: { text: 'نعم', language: 'ar' },
    statedAt: { at, precision: 'day' },
    attribution: 'on-record',
  },
});

describe('newsroom projection', () => {
  it('projects a claim, its status after each event, and its source index', () => {
    const rm = new MapReadModel().given(
      registered('council', 'organization'),
      registered('sdf', 'organization'),
    );
    const statuses = [
      opened,
      reported('st1', 'council', true, '2017-10-14T00:00:00.000Z'),
      reported('st2', 'sdf', false, '2017-10-14T00:00:00.000Z'),
    ].map((event) => rm.given(event).view('c1').status);
    expect(statuses).toEqual(['unsourced', 'single-source', 'contested']);
    expect(rm.claimsWithSources(['sdf'])).toEqual(['c1']);
  });

  it('re-derives the claims a source speaks on when its affiliation changes', () => {
    const rm = new MapReadModel().given(
      registered('sdf', 'organization'),
      registered('silo', 'person'),
      registered('bali', 'person', 'sdf'),
      opened,
      reported('st1', 'silo', false, '2017-10-14T00:00:00.000Z'),
      reported('st2', 'bali', true, '2017-10-15T00:00:00.000Z'),
    );
    // Two unaffiliated voices disagree...
    expect(rm.view('c1').status).toBe('contested');
    // ...until Silo is recorded as an SDF spokesman: one voice, whose later word is "yes".
    rm.given({
      type: 'SourceAmended',
      data: { sourceId: 'silo', changes: { affiliationId: 'sdf' }, reason: 'role confirmed' },
    });
    expect(rm.view('c1').status).toBe('single-source');
    expect(rm.view('c1').voices.map((v) => v.voice)).toEqual(['sdf']);
  });

  it('renames the voice of an organization in the claims its members speak on', () => {
    const rm = new MapReadModel().given(
      registered('sdf', 'organization'),
      registered('bali', 'person', 'sdf'),
      opened,
      reported('st1', 'bali', true, '2017-10-15T00:00:00.000Z'),
      {
        type: 'SourceAmended',
        data: { sourceId: 'sdf', changes: { name: 'Syrian Democratic Forces' }, reason: 'full name' },
      },
    );
    expect(rm.view('c1').voices[0]!.voiceName).toBe('Syrian Democratic Forces');
  });

  it('writes each statement as its own row and the claim state a snapshot every SNAPSHOT_EVERY events', () => {
    const rm = new MapReadModel().given(registered('council', 'organization'));
    rm.project(opened, 1);
    let fallbacks = 0;
    const live = rm.liveStatementsOf;
    rm.liveStatementsOf = (claimId, sourceId) => (fallbacks++, live(claimId, sourceId));
    for (let version = 2; version <= SNAPSHOT_EVERY + 1; version++) {
      const changes = rm.project(
        reported(`st${version}`, 'council', true, '2017-10-14T00:00:00.000Z'),
        version,
      );
      expect(changes.statements.map((row) => row.statement.statementId)).toEqual([`st${version}`]);
    }
    expect(rm.statements.size).toBe(SNAPSHOT_EVERY);
    expect(rm.snapshots.map((s) => [s.streamVersion, s.state.statementCount])).toEqual([
      [SNAPSHOT_EVERY, SNAPSHOT_EVERY - 1],
    ]);
    // The claim row keeps the positions, not the statements; reports never read other statements.
    expect(rm.claim('c1')!.positions).toHaveLength(1);
    expect(fallbacks).toBe(0);
    expect(rm.view('c1').statementCounts).toEqual({
      total: SNAPSHOT_EVERY,
      live: SNAPSHOT_EVERY,
      superseded: SNAPSHOT_EVERY - 1,
      retracted: 0,
    });
  });
});
