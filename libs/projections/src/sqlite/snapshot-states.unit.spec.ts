import type { ClaimReadState, RecordedClaimEvent, StatementRecord } from '@app/claims';
import { foldClaimSince } from '../queries/claim-fold-since';
import { SnapshotStates } from './snapshot-states';

const claimId = 'claim-1';
let position = 1000;
const recorded = (streamVersion: number, event: unknown): RecordedClaimEvent => ({
  event: event as RecordedClaimEvent['event'],
  position: String((position += 7)),
  recordedAt: new Date(Date.UTC(2017, 9, 16, 0, streamVersion)).toISOString(),
  streamVersion,
});
const report = (streamVersion: number, statementId: string, sourceId: string, stance: string) =>
  recorded(streamVersion, {
    type: 'StatementReported',
    data: {
      claimId,
      statementId,
      sourceId,
      stance,
      quote: { text: `quote of ${statementId}`, language: 'ar' },
      statedAt: { at: `2017-10-1${streamVersion}T12:00:00Z`, precision: 'hour' },
      attribution: 'on-record',
    },
  });

/** Statement rows for a fold from a snapshot: these events' statements, as the rows hold them. */
const rows = (statements: StatementRecord[] = []) => ({
  statement: (_: string, id: string) => statements.find((s) => s.statementId === id),
  statementsOfSource: (_: string, sourceId: string) => statements.filter((s) => s.sourceId === sourceId),
});

/** A claim opened, then two sources heard: the state a snapshot at version 2 holds. */
async function snapshotState(): Promise<ClaimReadState> {
  const opened = recorded(0, {
    type: 'ClaimOpened',
    data: {
      claimId,
      storyId: 'raqqa',
      proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
      valueKind: 'boolean',
    },
  });
  const state = await foldClaimSince(rows(), claimId, undefined, [
    opened,
    report(1, 'st1', 'council', 'affirms'),
    report(2, 'st2', 'sdf', 'denies'),
  ]);
  if (state === undefined) throw new Error('no state');
  return state;
}

const parsedFrom = (state: ClaimReadState) => {
  const text = JSON.stringify(state);
  let parses = 0;
  return {
    parse: () => {
      parses += 1;
      return { text, state: JSON.parse(text) as ClaimReadState };
    },
    parses: () => parses,
    chars: text.length,
  };
};

describe('SnapshotStates', () => {
  it('parses a snapshot once and answers later reads of it with the same frozen state', async () => {
    const states = new SnapshotStates();
    const row = parsedFrom(await snapshotState());
    const first = states.get(claimId, 2, row.parse);
    expect(states.get(claimId, 2, row.parse)).toBe(first);
    expect(row.parses()).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.positions[0])).toBe(true);
    // Another version or another claim is another snapshot.
    states.get(claimId, 50, row.parse);
    states.get('claim-2', 2, row.parse);
    expect(row.parses()).toBe(3);
  });

  it('keeps at most its bound of text, the least recently used evicted first', async () => {
    const row = parsedFrom(await snapshotState());
    const states = new SnapshotStates(row.chars * 2);
    states.get('a', 1, row.parse);
    states.get('b', 1, row.parse);
    states.get('a', 1, row.parse); // a is now the most recently used
    states.get('c', 1, row.parse); // past the bound: b goes
    expect(row.parses()).toBe(3);
    states.get('a', 1, row.parse);
    states.get('c', 1, row.parse);
    expect(row.parses()).toBe(3);
    states.get('b', 1, row.parse);
    expect(row.parses()).toBe(4);
  });

  it('is folded from without being changed: each read folds its own copy', async () => {
    const states = new SnapshotStates();
    const original = await snapshotState();
    const row = parsedFrom(original);
    const shared = states.get(claimId, 2, row.parse);
    const snapshot = { streamVersion: 2, position: original.position, state: shared };
    const later = [
      report(3, 'st3', 'council', 'denies'),
      recorded(4, {
        type: 'ClaimReworded',
        data: { claimId, proposition: { text: 'Reworded', language: 'en' }, reason: 'clearer' },
      }),
    ];
    const folded = await foldClaimSince(rows(), claimId, snapshot, later);
    expect(folded?.statementCount).toBe(3);
    expect(folded?.proposition.text).toBe('Reworded');
    expect(folded?.positions.find((p) => p.sourceId === 'council')?.statementId).toBe('st3');
    // The shared state is as parsed, so the next read from it starts where this one did.
    expect(shared).toEqual(JSON.parse(JSON.stringify(original)));
    const again = await foldClaimSince(rows(), claimId, snapshot, later.slice(0, 1));
    expect(again?.statementCount).toBe(3);
    expect(again?.proposition.text).toBe(original.proposition.text);
  });
});
