import { type ClaimReadState, evolveClaimReadState, type StatementAccess } from './claim-read-state';
import {
  ClaimStream,
  lookup,
  MON,
  organization,
  person,
  SAT,
  SAT_EVENING,
  SUN,
  source,
} from './claim-stream.fixture';
import { claimReadStateView, type ClaimView } from './claim-view';
import type { StatementRecord } from './statement-record';

/**
 * DOMAIN.md rule 3 and the voices of rule 2 (issue 10): the status rules count lines of evidence,
 * not mouths. Every scenario is derived both ways (from scratch, and by the incremental fold the
 * read model keeps) and the two must agree.
 */

// A second story: one government's findings, its officials named and anonymous, a second
// government and an outlet relaying them, and a king whose denial a politician relays.
const sources = lookup(
  organization('turkey'),
  person('aktay', 'turkey'),
  source('turkish-officials', 'anonymous', 'turkey'),
  source('prosecutor', 'organization', 'turkey'),
  organization('usa'),
  organization('saudi'),
  person('king', 'saudi'),
  person('senator'),
  source('sabah', 'outlet'),
  source('wire', 'outlet'),
);

class Rows implements StatementAccess {
  readonly rows = new Map<string, StatementRecord>();
  statement = (id: string) => this.rows.get(id);
  liveStatementsOf = (sourceId: string) =>
    [...this.rows.values()].filter((s) => s.sourceId === sourceId && s.retraction === undefined);
}

function incremental(stream: ClaimStream): ClaimView {
  const rows = new Rows();
  let state: ClaimReadState | undefined;
  for (const recorded of stream.events) {
    const step = evolveClaimReadState(state, recorded, rows);
    state = step.state;
    if (step.statement) rows.rows.set(step.statement.statementId, step.statement);
  }
  return claimReadStateView(state!, sources);
}

/** When derived, both ways: they must agree, and the spec reads the one answer. */
function derive(stream: ClaimStream): ClaimView {
  const view = stream.view(sources);
  expect(incremental(stream)).toEqual(view);
  return view;
}

const voicesOf = (view: ClaimView) => view.voices.map((v) => v.voice);

describe('lines of evidence (DOMAIN.md rules 2 and 3)', () => {
  it('given an official, anonymous officials of the same government and a second government relaying its findings, then single-source', () => {
    const view = derive(
      new ClaimStream()
        .affirms('s1', 'aktay', SAT, true)
        .report('s2', 'turkish-officials', 'affirms', SAT_EVENING, { value: true, attribution: 'anonymous' })
        .report('s3', 'usa', 'affirms', SUN, { value: true, basis: { statementId: 's1' } })
        .report('s4', 'prosecutor', 'affirms', SUN, { value: true }),
    );
    expect(view).toMatchObject({ status: 'single-source', agreedValue: true, conflicts: [] });
    expect(voicesOf(view)).toEqual(['turkey']);
    // The read model still shows who relayed it.
    expect(view.positions.find((p) => p.sourceId === 'usa')).toMatchObject({
      voice: 'turkey',
      basis: { statementId: 's1' },
      relay: { sourceId: 'aktay', statementIds: ['s1'], retracted: false },
    });
  });

  it('given a relay of a voice that also speaks for itself, then the relay adds nothing', () => {
    const view = derive(
      new ClaimStream()
        .affirms('s1', 'turkey', SAT, true)
        .report('s2', 'sabah', 'affirms', SUN, { value: true, basis: { sourceId: 'turkey' } }),
    );
    expect(view.status).toBe('single-source');
    expect(voicesOf(view)).toEqual(['turkey']);
    expect(view.statementCounts).toMatchObject({ live: 2, superseded: 0 });
  });

  it("given a relay that is later than what the voice itself said, then it is that voice's position", () => {
    const view = derive(
      new ClaimStream()
        .affirms('s1', 'turkey', SAT, true)
        .report('s2', 'sabah', 'affirms', SUN, { value: false, basis: { sourceId: 'turkey' } }),
    );
    // One voice never conflicts with itself: the later word (as relayed) is the voice's.
    expect(view).toMatchObject({ status: 'single-source', agreedValue: false, conflicts: [] });
  });

  it('given a relay chain (A relays B relays C), then it counts with C', () => {
    const view = derive(
      new ClaimStream('quantity')
        .affirms('c', 'prosecutor', SAT, { exact: 18 })
        .report('b', 'usa', 'affirms', SAT_EVENING, { value: { exact: 18 }, basis: { statementId: 'c' } })
        .report('a', 'wire', 'affirms', SUN, { value: { exact: 18 }, basis: { statementId: 'b' } }),
    );
    expect(view).toMatchObject({ status: 'single-source', agreedValue: { exact: 18 } });
    expect(voicesOf(view)).toEqual(['turkey']);
    expect(view.positions.find((p) => p.sourceId === 'wire')?.relay).toEqual({
      sourceId: 'prosecutor',
      statementIds: ['b', 'c'],
      retracted: false,
    });
  });

  it('given a relay of a statement later retracted, then the relay counts for nothing (shown, not asserting)', () => {
    const stream = new ClaimStream()
      .affirms('denial', 'king', SAT, false)
      .report('relay', 'senator', 'affirms', SUN, { value: false, basis: { statementId: 'denial' } });
    expect(derive(stream).status).toBe('single-source');
    stream.retract('denial', 'misattributed');
    const view = derive(stream);
    expect(view).toMatchObject({ status: 'unconfirmed', agreedValue: null, voices: [] });
    expect(view.positions).toEqual([
      expect.objectContaining({
        sourceId: 'senator',
        relay: { sourceId: 'king', statementIds: ['denial'], retracted: true },
      }),
    ]);
  });

  it('given a relay reported after the relayed statement was retracted, then it counts for nothing either', () => {
    const view = derive(
      new ClaimStream()
        .affirms('denial', 'king', SAT, false)
        .retract('denial')
        .affirms('own', 'senator', SAT, true)
        .report('relay', 'senator', 'affirms', SUN, { value: false, basis: { statementId: 'denial' } }),
    );
    // The senator's own word stands on its line; the relay of the withdrawn denial adds nothing.
    expect(view).toMatchObject({ status: 'single-source', agreedValue: true });
    expect(voicesOf(view)).toEqual(['senator']);
  });

  it('given a source that relays one voice and speaks for itself, then two lines: its own and the relayed', () => {
    const view = derive(
      new ClaimStream()
        .report('relay', 'sabah', 'affirms', SAT, { value: true, basis: { sourceId: 'turkey' } })
        .affirms('own', 'sabah', SUN, true),
    );
    expect(view.status).toBe('corroborated');
    expect(voicesOf(view).sort()).toEqual(['sabah', 'turkey']);
  });

  it('given two governments that each speak for themselves, then corroborated; relaying, single-source', () => {
    const independent = derive(
      new ClaimStream().affirms('s1', 'turkey', SAT, true).affirms('s2', 'usa', SUN, true),
    );
    expect(independent.status).toBe('corroborated');
    const relayed = derive(
      new ClaimStream()
        .affirms('s1', 'turkey', SAT, true)
        .report('s2', 'usa', 'affirms', SUN, { value: true, basis: { sourceId: 'turkey' } })
        .report('s3', 'saudi', 'denies', MON, { basis: { sourceId: 'king' } }),
    );
    // The relayed king's denial is the Saudi voice (the king is affiliated with it): two lines, contested.
    expect(relayed.status).toBe('contested');
    expect(voicesOf(relayed).sort()).toEqual(['saudi', 'turkey']);
  });
});
