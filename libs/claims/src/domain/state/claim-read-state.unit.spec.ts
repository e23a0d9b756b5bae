import { type ClaimReadState, evolveClaimReadState, type StatementAccess } from './claim-read-state';
import { ClaimStream, lookup, MON, organization, person, SAT, SUN } from './claim-stream.fixture';
import { claimReadStateView } from './claim-view';
import type { StatementRecord } from './statement-record';

const sources = lookup(organization('sdf'), person('silo', 'sdf'), organization('sohr'), organization('rcc'));

/** The statement rows as a store keeps them, counting what the fold asks for. */
class Rows implements StatementAccess {
  readonly rows = new Map<string, StatementRecord>();
  fallbacks: string[] = [];
  statement = (id: string) => this.rows.get(id);
  liveStatementsOf = (sourceId: string) => {
    this.fallbacks.push(sourceId);
    return [...this.rows.values()].filter((s) => s.sourceId === sourceId && s.retraction === undefined);
  };
}

/** Given a stream, when each event is applied incrementally, then the state and the rows. */
function project(stream: ClaimStream): { state: ClaimReadState; rows: Rows } {
  const rows = new Rows();
  let state: ClaimReadState | undefined;
  for (const recorded of stream.events) {
    const step = evolveClaimReadState(state, recorded, rows);
    state = step.state;
    if (step.statement) rows.rows.set(step.statement.statementId, step.statement);
  }
  return { state: state!, rows };
}

describe('evolveClaimReadState', () => {
  it('keeps one position per source and counts, never the statements', () => {
    const { state, rows } = project(
      new ClaimStream()
        .affirms('a', 'silo', SAT, true)
        .affirms('b', 'silo', SUN, false)
        .affirms('c', 'sohr', SAT, true),
    );
    expect(state.positions.map((p) => [p.sourceId, p.statementId])).toEqual([
      ['silo', 'b'],
      ['sohr', 'c'],
    ]);
    expect(state).toMatchObject({ statementCount: 3, retractedCount: 0 });
    expect('statements' in state).toBe(false);
    expect(rows.rows.size).toBe(3);
    // Reports never read the source's other statements.
    expect(rows.fallbacks).toEqual([]);
  });

  it('falls back to the latest live statement of that source only when its position is retracted', () => {
    const stream = new ClaimStream()
      .affirms('a', 'silo', SAT, true)
      .affirms('b', 'silo', SUN, false)
      .affirms('c', 'sohr', SAT, true)
      .retract('a');
    const before = project(stream);
    expect(before.rows.fallbacks).toEqual([]);
    stream.retract('b');
    const { state, rows } = project(stream);
    expect(rows.fallbacks).toEqual(['silo']);
    expect(state.positions.map((p) => p.sourceId)).toEqual(['sohr']);
    expect(state).toMatchObject({ statementCount: 3, retractedCount: 2 });
    expect(claimReadStateView(state, sources).status).toBe('single-source');
  });

  it('moves a position back when a correction makes it earlier than another statement', () => {
    const { state, rows } = project(
      new ClaimStream()
        .affirms('a', 'silo', SAT, true)
        .affirms('b', 'silo', SUN, false)
        .correct('b', { statedAt: { at: '2017-10-13T00:00:00Z', precision: 'day' } }),
    );
    expect(rows.fallbacks).toEqual(['silo']);
    expect(state.positions.map((p) => p.statementId)).toEqual(['a']);
  });

  it('moves a position forward when a correction makes another statement later, without a fallback', () => {
    const { state, rows } = project(
      new ClaimStream()
        .affirms('a', 'silo', SAT, true)
        .affirms('b', 'silo', SUN, false)
        .correct('a', { statedAt: { at: MON, precision: 'day' } })
        .correct('a', { value: false }),
    );
    expect(rows.fallbacks).toEqual([]);
    expect(state.positions).toEqual([
      expect.objectContaining({ statementId: 'a', current: expect.objectContaining({ value: false }) }),
    ]);
  });

  it('derives the same view as the from-scratch derivation', () => {
    const stream = new ClaimStream()
      .affirms('a', 'silo', SAT, true)
      .affirms('b', 'rcc', SUN, false)
      .report('c', 'sohr', 'uncertain', SUN, { value: true })
      .issue('v1', 'mixed', ['a', 'b'])
      .retract('b');
    expect(claimReadStateView(project(stream).state, sources)).toEqual(stream.view(sources));
  });
});
