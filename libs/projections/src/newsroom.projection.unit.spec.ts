import type { ClaimEvent, ClaimRecord, SourceEvent, SourceRecord, TimelineEntry } from '@app/claims';
import { type ProjectedClaim, projectEvent, type ReadModelReader } from './newsroom.projection';

/** The read model as plain maps: given events, then read model. */
class MapReadModel implements ReadModelReader {
  sources = new Map<string, SourceRecord>();
  claims = new Map<string, ProjectedClaim>();
  timeline = new Map<string, TimelineEntry[]>();
  claimSources = new Set<string>();
  private position = 0n;

  source = (id: string) => this.sources.get(id);
  claim = (id: string): ClaimRecord | undefined => this.claims.get(id)?.record;
  claimsWithSources = (ids: readonly string[]) =>
    [...this.claimSources].filter((k) => ids.includes(k.split('|')[0]!)).map((k) => k.split('|')[1]!);
  sourcesAffiliatedWith = (id: string) =>
    [...this.sources.values()].filter((s) => s.affiliationId === id).map((s) => s.sourceId);

  given(...events: (ClaimEvent | SourceEvent)[]): this {
    for (const event of events) {
      this.position += 1n;
      const changes = projectEvent(this, {
        event,
        position: this.position,
        recordedAt: `2017-10-15T09:00:${String(this.position).padStart(2, '0')}.000Z`,
        streamVersion: 1,
      });
      for (const s of changes.sources) this.sources.set(s.sourceId, s);
      for (const c of changes.claims) this.claims.set(c.record.claimId, c);
      for (const { claimId, sourceId } of changes.claimSources)
        this.claimSources.add(`${sourceId}|${claimId}`);
      for (const { claimId, entry } of changes.timeline)
        this.timeline.set(claimId, [...(this.timeline.get(claimId) ?? []), entry]);
    }
    return this;
  }

  view(claimId: string) {
    const claim = this.claims.get(claimId);
    if (!claim) throw new Error(`no claim ${claimId}`);
    return claim.view;
  }
}

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
  it('projects a claim, its timeline with statusAfter, and its source index', () => {
    const rm = new MapReadModel().given(
      registered('council', 'organization'),
      registered('sdf', 'organization'),
      opened,
      reported('st1', 'council', true, '2017-10-14T00:00:00.000Z'),
      reported('st2', 'sdf', false, '2017-10-14T00:00:00.000Z'),
    );
    expect(rm.view('c1').status).toBe('contested');
    expect(rm.timeline.get('c1')!.map((e) => e.statusAfter)).toEqual([
      'unsourced',
      'single-source',
      'contested',
    ]);
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
});
