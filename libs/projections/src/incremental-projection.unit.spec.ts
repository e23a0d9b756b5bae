import fc from 'fast-check';
import {
  type ClaimEvent,
  type ClaimsMerged,
  type ClaimReadState,
  claimReadStateStatus,
  claimReadStateView,
  type ClaimValue,
  copyClaimReadState,
  deriveClaimView,
  evolveClaimReadState,
  foldClaimRecord,
  type RecordedClaimEvent,
  type SourceEvent,
  STANCES,
  type StatementBasis,
  type StatementChanges,
  toAbsorbed,
  type ValueKind,
} from '@app/claims';
import { HistoricalStatements } from './queries/historical-statements';
import { MapReadModel } from './testing/map-read-model';

/**
 * Issue 7: the incremental projection (positions kept per source, statements as rows, a fallback
 * read on retraction or a moved stated time) equals the from-scratch derivation (every statement
 * → positions → view) after every event of random histories; and a historical fold that starts
 * from a snapshot and reads statement rows equals the from-scratch fold at the same cut.
 */

const CLAIM = 'c1';
const ORGS = ['o1', 'o2'];
/** Persons: two speak for o1, one for o2, one for themselves (until amended). */
const PEOPLE: [string, string | undefined][] = [
  ['p1', 'o1'],
  ['p2', 'o1'],
  ['p3', undefined],
  ['p4', 'o2'],
];
const SPEAKERS = [...ORGS, ...PEOPLE.map(([id]) => id)];
/** Ties on purpose: the same instant twice, and the same instant written two ways. */
const TIMES = [
  '2017-10-14T09:00:00Z',
  '2017-10-14T09:00:00.000Z',
  '2017-10-14T18:00:00Z',
  '2017-10-15T09:00:00Z',
  '2017-10-15T09:00:00Z',
  '2017-10-16T00:00:00Z',
];
const VALUES: Record<ValueKind, ClaimValue[]> = {
  boolean: [true, false],
  quantity: [{ exact: 100 }, { min: 90, max: 120 }, { approx: 200 }, { exact: 300 }],
  date: [
    { date: '2017-10-12', precision: 'day' },
    { date: '2017-10', precision: 'month' },
    { date: '2017-10-13', precision: 'day' },
  ],
  text: ['الرقة', 'الرَّقَّة', 'Raqqa'],
};

type Op =
  | {
      t: 'report';
      who: number;
      stance: number;
      value: number | null;
      time: number;
      /** Issue 10: a relay of a source (even) or of an earlier statement (odd), or none. */
      basis: number | null;
      /** Varying claims: the moment the figure describes. */
      asOf: number | null;
    }
  | {
      t: 'correct';
      which: number;
      stance: number | null;
      value: number | null | 'remove';
      time: number | null;
    }
  | { t: 'retract'; which: number }
  | { t: 'verdict'; which: number }
  | { t: 'withdraw' }
  | { t: 'amend'; who: number; org: number | null }
  /** Issue 10: o1 becomes part of o2, or stands alone again (a chain of affiliations). */
  | { t: 'amend-org'; join: boolean }
  | { t: 'reword' }
  /** Decision 0020: another claim, with a few statements (some retracted), merged into this one. */
  | { t: 'merge'; reports: { who: number; stance: number; value: number; time: number; retract: boolean }[] };

const index = fc.nat({ max: 1000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('report' as const),
      who: index,
      stance: index,
      value: fc.option(index),
      time: index,
      basis: fc.option(index),
      asOf: fc.option(index),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('correct' as const),
      which: index,
      stance: fc.option(index),
      value: fc.option(fc.oneof(index, fc.constant('remove' as const))),
      time: fc.option(index),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('retract' as const), which: index }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('verdict' as const), which: index }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('amend' as const), who: index, org: fc.option(index) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reword' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('amend-org' as const), join: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('merge' as const),
      reports: fc.array(
        fc.record({ who: index, stance: index, value: index, time: index, retract: fc.boolean() }),
        { minLength: 0, maxLength: 3 },
      ),
    }),
  },
);

const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

/** Turns random ops into a valid history: the claim's events, and source amendments between them. */
function* history(kind: ValueKind, ops: readonly Op[], varies = false): Generator<ClaimEvent | SourceEvent> {
  const values = VALUES[kind];
  const reported: string[] = [];
  const speakerOf = new Map<string, string>();
  const retracted = new Set<string>();
  const verdicts: string[] = [];
  let n = 0;
  for (const o of ops) {
    switch (o.t) {
      case 'report': {
        const statementId = `s${++n}`;
        const sourceId = pick(SPEAKERS, o.who);
        const basis = basisFor(o.basis, sourceId, reported, speakerOf);
        reported.push(statementId);
        speakerOf.set(statementId, sourceId);
        yield {
          type: 'StatementReported',
          data: {
            claimId: CLAIM,
            statementId,
            sourceId,
            stance: pick(STANCES, o.stance),
            ...(o.value !== null && { value: pick(values, o.value) }),
            quote: { text: `quote ${statementId}`, language: 'ar' },
            statedAt: { at: pick(TIMES, o.time), precision: 'hour' },
            ...(varies &&
              o.asOf !== null && { asOf: { at: pick(TIMES, o.asOf), precision: 'day' as const } }),
            attribution: 'on-record',
            ...(basis !== undefined && { basis }),
          },
        };
        break;
      }
      case 'correct': {
        if (reported.length === 0) break;
        const changes: StatementChanges = {
          ...(o.stance !== null && { stance: pick(STANCES, o.stance) }),
          ...(o.value !== null && { value: o.value === 'remove' ? null : pick(values, o.value) }),
          ...(o.time !== null &&
            // On a varying claim, half the time corrections move the figure's moment instead.
            (varies && o.which % 2 === 0
              ? { asOf: { at: pick(TIMES, o.time), precision: 'day' as const } }
              : { statedAt: { at: pick(TIMES, o.time), precision: 'day' as const } })),
        };
        const statementId = pick(reported, o.which);
        yield { type: 'StatementCorrected', data: { claimId: CLAIM, statementId, changes, reason: 'typo' } };
        break;
      }
      case 'retract': {
        const live = reported.filter((id) => !retracted.has(id));
        if (live.length === 0) break;
        const statementId = pick(live, o.which);
        retracted.add(statementId);
        yield {
          type: 'StatementRetracted',
          data: { claimId: CLAIM, statementId, reason: 'source-withdrew' },
        };
        break;
      }
      case 'verdict': {
        const verdictId = `v${++n}`;
        verdicts.push(verdictId);
        const evidence = reported.length === 0 ? [] : [pick(reported, o.which)];
        yield {
          type: 'VerdictIssued',
          data: { claimId: CLAIM, verdictId, rating: 'mixed', rationale: 'r', evidence },
        };
        break;
      }
      case 'withdraw': {
        const verdictId = verdicts.shift();
        if (verdictId !== undefined)
          yield { type: 'VerdictWithdrawn', data: { claimId: CLAIM, verdictId, reason: 'new evidence' } };
        break;
      }
      case 'amend': {
        const [sourceId] = pick(PEOPLE, o.who);
        const affiliationId = o.org === null ? null : pick(ORGS, o.org);
        yield { type: 'SourceAmended', data: { sourceId, changes: { affiliationId }, reason: 'role' } };
        break;
      }
      case 'amend-org':
        yield {
          type: 'SourceAmended',
          data: { sourceId: 'o1', changes: { affiliationId: o.join ? 'o2' : null }, reason: 'structure' },
        };
        break;
      case 'merge': {
        // The other claim's own events; run() answers its ClaimsMerged with the ClaimAbsorbed.
        const other = `m${++n}`;
        yield {
          type: 'ClaimOpened',
          data: { claimId: other, storyId: 's', proposition: { text: 'p', language: 'en' }, valueKind: kind },
        };
        for (const r of o.reports) {
          const statementId = `${other}s${++n}`;
          const sourceId = pick(SPEAKERS, r.who);
          yield {
            type: 'StatementReported',
            data: {
              claimId: other,
              statementId,
              sourceId,
              stance: pick(STANCES, r.stance),
              value: pick(values, r.value),
              quote: { text: `quote ${statementId}`, language: 'ar' },
              statedAt: { at: pick(TIMES, r.time), precision: 'hour' },
              attribution: 'on-record',
            },
          };
          reported.push(statementId);
          speakerOf.set(statementId, sourceId);
          if (r.retract) {
            retracted.add(statementId);
            yield {
              type: 'StatementRetracted',
              data: { claimId: other, statementId, reason: 'misattributed' },
            };
          }
        }
        yield { type: 'ClaimsMerged', data: { claimId: other, intoClaimId: CLAIM, reason: 'same' } };
        break;
      }
      case 'reword':
        yield {
          type: 'ClaimReworded',
          data: { claimId: CLAIM, proposition: { text: `reworded ${++n}`, language: 'en' }, reason: 'x' },
        };
        break;
    }
  }
}

/** A basis the decider would accept: another speaker, or an earlier statement of another speaker. */
function basisFor(
  choice: number | null,
  sourceId: string,
  reported: readonly string[],
  speakerOf: ReadonlyMap<string, string>,
): StatementBasis | undefined {
  if (choice === null) return undefined;
  if (choice % 2 === 0) {
    const others = SPEAKERS.filter((id) => id !== sourceId);
    return { sourceId: pick(others, choice >> 1) };
  }
  const others = reported.filter((id) => speakerOf.get(id) !== sourceId);
  return others.length === 0 ? undefined : { statementId: pick(others, choice >> 1) };
}

function givenSources(rm: MapReadModel): void {
  for (const sourceId of ORGS)
    rm.project({
      type: 'SourceRegistered',
      data: { sourceId, name: sourceId.toUpperCase(), kind: 'organization', protected: false },
    });
  for (const [sourceId, affiliationId] of PEOPLE)
    rm.project({
      type: 'SourceRegistered',
      data: {
        sourceId,
        name: sourceId.toUpperCase(),
        kind: 'person',
        protected: false,
        ...(affiliationId && { affiliationId }),
      },
    });
}

interface Run {
  rm: MapReadModel;
  events: RecordedClaimEvent[];
  /** The incremental state after each claim event. */
  states: ClaimReadState[];
}

function run(
  kind: ValueKind,
  ops: readonly Op[],
  check: (rm: MapReadModel, events: RecordedClaimEvent[]) => void,
  varies = false,
): Run {
  const rm = new MapReadModel();
  givenSources(rm);
  const events: RecordedClaimEvent[] = [];
  const states: ClaimReadState[] = [];
  const opened: ClaimEvent = {
    type: 'ClaimOpened',
    data: {
      claimId: CLAIM,
      storyId: 's',
      proposition: { text: 'p', language: 'en' },
      valueKind: kind,
      ...(varies && { varies: true as const }),
    },
  };
  const others = new Map<string, RecordedClaimEvent[]>();
  const absorbedAfter = (merged: ClaimsMerged): ClaimEvent => ({
    type: 'ClaimAbsorbed',
    data: {
      claimId: CLAIM,
      mergedClaimId: merged.data.claimId,
      reason: merged.data.reason,
      statements: foldClaimRecord(others.get(merged.data.claimId)!)!.statements.map(toAbsorbed),
    },
  });
  for (const event of [opened, ...history(kind, ops, varies)]) {
    const isClaimEvent = 'claimId' in event.data;
    const otherClaim = isClaimEvent && (event as ClaimEvent).data.claimId !== CLAIM;
    const stream = otherClaim ? (others.get((event as ClaimEvent).data.claimId) ?? []) : events;
    rm.project(event, stream.length + 1);
    if (otherClaim) {
      const last = rm.last!;
      const recorded = { event: event as ClaimEvent, position: last.position.toString() };
      stream.push({ ...recorded, recordedAt: last.recordedAt, streamVersion: last.streamVersion });
      others.set((event as ClaimEvent).data.claimId, stream);
      if (event.type !== 'ClaimsMerged') continue;
      // The handler's second append: the surviving claim takes the closed claim's statements.
      const absorbed = absorbedAfter(event);
      rm.project(absorbed, events.length + 1);
      const after = rm.last!;
      events.push({
        event: absorbed,
        position: after.position.toString(),
        recordedAt: after.recordedAt,
        streamVersion: after.streamVersion,
      });
      states.push(copyClaimReadState(rm.claim(CLAIM)!));
      check(rm, events);
      continue;
    }
    if (!isClaimEvent) {
      check(rm, events);
      continue;
    }
    const last = rm.last!;
    events.push({
      event: event as ClaimEvent,
      position: last.position.toString(),
      recordedAt: last.recordedAt,
      streamVersion: last.streamVersion,
    });
    states.push(copyClaimReadState(rm.claim(CLAIM)!));
    check(rm, events);
  }
  return { rm, events, states };
}

const kinds = fc.constantFrom<ValueKind>('boolean', 'quantity', 'date', 'text');
const histories = fc.array(op, { minLength: 1, maxLength: 60 });

describe('the incremental claim projection', () => {
  it('equals the from-scratch derivation after every event, statements rows included', () => {
    fc.assert(
      fc.property(kinds, histories, fc.boolean(), (kind, ops, varies) => {
        run(
          kind,
          ops,
          (rm, events) => {
            const record = foldClaimRecord(events)!;
            expect(rm.view(CLAIM)).toEqual(deriveClaimView(record, rm.source));
            const rows = [...rm.statements.values()]
              .filter((row) => row.claimId === CLAIM)
              .map((row) => row.statement);
            expect(rows).toEqual(record.statements);
            // The status alone (what a timeline entry shows: queries/claim-timeline.ts) is the view's.
            expect(claimReadStateStatus(rm.claim(CLAIM)!, rm.source)).toBe(rm.view(CLAIM).status);
          },
          varies,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('folds from a snapshot and the statement rows to the same view as from scratch, at any cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        kinds,
        histories,
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        async (kind, ops, a, b, varies) => {
          const { rm, events, states } = run(kind, ops, () => undefined, varies);
          const cut = a % events.length;
          const from = b % (cut + 1);
          // As a cut read does: the snapshot after event `from`, then the events up to the cut.
          const statements = new HistoricalStatements(rm, CLAIM, events[from]!.position);
          let state = copyClaimReadState(states[from]!);
          for (const recorded of events.slice(from + 1, cut + 1)) {
            await statements.prepare(recorded.event);
            const step = evolveClaimReadState(state, recorded, statements);
            state = step.state;
            if (step.statement) statements.remember(step.statement);
            for (const absorbed of step.absorbed ?? []) statements.remember(absorbed);
          }
          const expected = deriveClaimView(foldClaimRecord(events.slice(0, cut + 1))!, rm.source);
          expect(claimReadStateView(state, rm.source)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
