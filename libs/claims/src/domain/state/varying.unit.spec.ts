import { type ClaimReadState, evolveClaimReadState, type StatementAccess } from './claim-read-state';
import { ClaimStream, lookup, organization, person } from './claim-stream.fixture';
import { claimReadStateView, type ClaimView } from './claim-view';
import type { StatementRecord } from './statement-record';

/**
 * DOMAIN.md rule 4 on varying claims (issue 10): a count that rises is not a contradiction. Every
 * scenario is derived from scratch and incrementally, and the two must agree.
 */

const sources = lookup(
  organization('prosecutor'),
  organization('ministry'),
  organization('ngo'),
  person('minister', 'ministry'),
);

class Rows implements StatementAccess {
  readonly rows = new Map<string, StatementRecord>();
  statement = (id: string) => this.rows.get(id);
  liveStatementsOf = (sourceId: string) =>
    [...this.rows.values()].filter((s) => s.sourceId === sourceId && s.retraction === undefined);
}

function derive(stream: ClaimStream): ClaimView {
  const rows = new Rows();
  let state: ClaimReadState | undefined;
  for (const recorded of stream.events) {
    const step = evolveClaimReadState(state, recorded, rows);
    state = step.state;
    if (step.statement) rows.rows.set(step.statement.statementId, step.statement);
  }
  const view = stream.view(sources);
  expect(claimReadStateView(state!, sources)).toEqual(view);
  return view;
}

const OCT_19 = { at: '2018-10-19T12:00:00Z', precision: 'day' } as const;
const OCT_21 = { at: '2018-10-21T12:00:00Z', precision: 'day' } as const;
const detained = () => new ClaimStream('quantity', 'claim-detained', 'people', true);

describe('varying claims', () => {
  it('given 18 on one day and 21 two days later from two voices, then not contested, and 21 is the latest figure', () => {
    const view = derive(
      detained()
        .report('s18', 'prosecutor', 'affirms', '2018-10-19T15:00:00Z', {
          value: { exact: 18 },
          asOf: OCT_19,
        })
        .report('s21', 'ministry', 'affirms', '2018-10-21T15:00:00Z', { value: { exact: 21 }, asOf: OCT_21 }),
    );
    expect(view).toMatchObject({ varies: true, conflicts: [], agreedValue: { exact: 21 } });
    expect(view.status).not.toBe('contested');
    expect(view.latestFigure).toEqual({ value: { exact: 21 }, asOf: OCT_21, voices: ['ministry'] });
    expect(view.values).toEqual([
      { value: { exact: 18 }, asOf: OCT_19, voices: ['prosecutor'] },
      { value: { exact: 21 }, asOf: OCT_21, voices: ['ministry'] },
    ]);
  });

  it('given two figures of the same moment that disagree, then contested, each side with its moment', () => {
    const view = derive(
      detained()
        .report('s18', 'prosecutor', 'affirms', '2018-10-19T15:00:00Z', {
          value: { exact: 18 },
          asOf: OCT_19,
        })
        .report('s15', 'ngo', 'affirms', '2018-10-22T09:00:00Z', { value: { exact: 15 }, asOf: OCT_19 }),
    );
    expect(view.status).toBe('contested');
    expect(view.conflicts).toEqual([
      expect.objectContaining({
        a: expect.objectContaining({ value: { exact: 18 }, asOf: OCT_19 }),
        b: expect.objectContaining({ value: { exact: 15 }, asOf: OCT_19 }),
        reason: 'incompatible-values',
      }),
    ]);
  });

  it('given no asOf, then each figure describes when it was said', () => {
    const view = derive(
      detained()
        .report('s18', 'prosecutor', 'affirms', '2018-10-19T15:00:00Z', {
          value: { exact: 18 },
          precision: 'day',
        })
        .report('s21', 'ministry', 'affirms', '2018-10-21T15:00:00Z', {
          value: { exact: 21 },
          precision: 'day',
        }),
    );
    expect(view.status).toBe('corroborated');
    expect(view.positions.map((p) => p.asOf?.at)).toEqual(['2018-10-19T15:00:00Z', '2018-10-21T15:00:00Z']);
  });

  it("given a voice's later statement about an earlier moment, then its position is its latest figure by moment", () => {
    const view = derive(
      detained()
        .report('s21', 'minister', 'affirms', '2018-10-21T15:00:00Z', { value: { exact: 21 }, asOf: OCT_21 })
        // Said later, but about the 19th: it does not supersede the figure for the 21st.
        .report('s18', 'ministry', 'affirms', '2018-10-22T09:00:00Z', { value: { exact: 18 }, asOf: OCT_19 }),
    );
    expect(view.voices).toEqual([expect.objectContaining({ voice: 'ministry', statementId: 's21' })]);
    expect(view).toMatchObject({ status: 'single-source', agreedValue: { exact: 21 } });
  });

  it('given the same figures on a claim that does not vary, then contested as before', () => {
    const view = derive(
      new ClaimStream('quantity', 'claim-fixed', 'people')
        .affirms('s18', 'prosecutor', '2018-10-19T15:00:00Z', { exact: 18 })
        .affirms('s21', 'ministry', '2018-10-21T15:00:00Z', { exact: 21 }),
    );
    expect(view.status).toBe('contested');
    expect(view.latestFigure).toBeUndefined();
  });
});
