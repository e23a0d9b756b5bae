import type { AbsorbClaim, ClaimCommand, MergeClaim, MergeTarget } from './claim.commands';
import { claimDecider, type OpenedClaimState } from './claim.decider';
import type { AbsorbedStatement, ClaimAbsorbed, ClaimEvent, ClaimOpened, ClaimsMerged } from './claim.events';
import { deciderSpec } from './testing/decider-spec';

/**
 * Decision 0020: a merge closes one claim (ClaimsMerged on its stream) and brings its statements
 * into the other (ClaimAbsorbed on the surviving stream). Given / when / then on each stream.
 */
const { given } = deciderSpec(claimDecider);

const MERGED = 'claim-toll-sohr-wording';
const SURVIVOR = 'claim-toll';
const STORY = 'raqqa-2017-10-15';
const opened = (claimId: string, data: Partial<ClaimOpened['data']> = {}): ClaimOpened => ({
  type: 'ClaimOpened',
  data: {
    claimId,
    storyId: STORY,
    proposition: { text: 'The evacuation convoy carried 275 people', language: 'en' },
    valueKind: 'quantity',
    unit: 'people',
    ...data,
  },
});
const target = (data: Partial<MergeTarget> = {}): MergeTarget => ({
  claimId: SURVIVOR,
  storyId: STORY,
  valueKind: 'quantity',
  unit: 'people',
  varies: false,
  mergedInto: null,
  statementIds: [],
  ...data,
});
const reason = 'the same convoy, counted in two wordings';
const merge = (
  data: Partial<MergeClaim['data']> = {},
  into: MergeTarget | undefined = target(),
): MergeClaim => ({
  type: 'MergeClaim',
  data: { claimId: MERGED, intoClaimId: SURVIVOR, reason, ...data },
  into,
});
const merged: ClaimsMerged = {
  type: 'ClaimsMerged',
  data: { claimId: MERGED, intoClaimId: SURVIVOR, reason },
};

const statement = (statementId: string, data: Partial<AbsorbedStatement> = {}): AbsorbedStatement => {
  const fields = {
    stance: 'affirms' as const,
    value: { exact: 275 },
    quote: { text: '275 people left', language: 'en' },
    statedAt: { at: '2017-10-14T12:00:00Z', precision: 'day' as const },
    attribution: 'on-record' as const,
  };
  return {
    statementId,
    sourceId: 'src-sohr',
    original: fields,
    current: fields,
    reportedPosition: '12',
    recordedAt: '2017-10-16T08:00:00Z',
    corrections: [],
    ...data,
  };
};
const absorb = (statements: AbsorbedStatement[] = [statement('stmt-sohr')]): AbsorbClaim => ({
  type: 'AbsorbClaim',
  data: { claimId: SURVIVOR, mergedClaimId: MERGED, reason, statements },
});
const absorbed = (statements: AbsorbedStatement[] = [statement('stmt-sohr')]): ClaimAbsorbed => ({
  type: 'ClaimAbsorbed',
  data: { claimId: SURVIVOR, mergedClaimId: MERGED, reason, statements },
});

describe('merging claims: the merged claim (ClaimsMerged)', () => {
  it('closes the claim in favour of the surviving one', () => {
    given([opened(MERGED)])
      .when(merge())
      .then([merged]);
  });

  it('refuses a merge into itself, into an unknown claim, or a claim never opened', () => {
    given([opened(MERGED)])
      .when(merge({ intoClaimId: MERGED }))
      .thenFails('MERGE_INTO_ITSELF', 'intoClaimId');
    given([opened(MERGED)])
      .when({ ...merge(), into: undefined })
      .thenFails('CLAIM_NOT_FOUND', 'intoClaimId');
    given([]).when(merge()).thenFails('CLAIM_NOT_FOUND', 'claimId');
  });

  it('refuses a merge into a claim that was itself merged, naming where that one went', () => {
    given([opened(MERGED)])
      .when(merge({}, target({ mergedInto: 'claim-elsewhere' })))
      .thenFails('MERGE_TARGET_MERGED', 'intoClaimId');
  });

  it('refuses a claim already merged', () => {
    given([opened(MERGED), merged])
      .when(merge({ intoClaimId: 'claim-other' }, target({ claimId: 'claim-other' })))
      .thenFails('CLAIM_MERGED', 'claimId');
  });

  it('refuses claims of another story, kind, unit or variability: their statements would not fit', () => {
    const given1 = given([opened(MERGED)]);
    given1
      .when(merge({}, target({ storyId: 'another-story' })))
      .thenFails('MERGE_INCOMPATIBLE', 'intoClaimId');
    given1.when(merge({}, target({ valueKind: 'boolean' }))).thenFails('MERGE_INCOMPATIBLE');
    given1.when(merge({}, target({ unit: 'families' }))).thenFails('MERGE_INCOMPATIBLE');
    given1.when(merge({}, target({ varies: true }))).thenFails('MERGE_INCOMPATIBLE');
  });

  it('refuses, before closing anything, claims that hold the same statement id', () => {
    const own: ClaimEvent = {
      type: 'StatementReported',
      data: {
        ...statement('stmt-sohr').current,
        claimId: MERGED,
        statementId: 'stmt-sohr',
        sourceId: 'src-x',
      },
    };
    given([opened(MERGED), own])
      .when(merge({}, target({ statementIds: ['stmt-other', 'stmt-sohr'] })))
      .thenFails('MERGE_STATEMENT_CLASH', 'intoClaimId');
    given([opened(MERGED), own])
      .when(merge({}, target({ statementIds: ['stmt-other'] })))
      .then([merged]);
  });

  it('needs a reason', () => {
    given([opened(MERGED)])
      .when(merge({ reason: '' }))
      .thenFails('INVALID_FIELD', 'reason');
  });

  it('refuses every later write on the merged claim, naming the surviving claim', () => {
    const state = given([opened(MERGED), merged]);
    const commands: ClaimCommand[] = [
      {
        type: 'ReportStatement',
        data: {
          ...statement('stmt-late').current,
          claimId: MERGED,
          statementId: 'stmt-late',
          sourceId: 'src-sohr',
        },
        sourceRegistered: true,
        receivedAt: '2017-10-16T08:00:00Z',
      },
      { type: 'RewordClaim', data: { claimId: MERGED, proposition: { text: 'x', language: 'en' }, reason } },
      { type: 'RetractStatement', data: { claimId: MERGED, statementId: 'stmt-sohr', reason: 'other' } },
    ];
    for (const command of commands) state.when(command).thenFails('CLAIM_MERGED', 'claimId');
    let message = '';
    try {
      claimDecider.decide(commands[0]!, state.state());
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`merged into claim ${SURVIVOR}`);
  });
});

describe('merging claims: the surviving claim (ClaimAbsorbed)', () => {
  it('takes the merged statements in, keeping their ids, with their state as merged', () => {
    given([opened(SURVIVOR)])
      .when(absorb())
      .then([absorbed()]);
    const retracted = statement('stmt-gone', {
      retraction: { reason: 'source-withdrew', position: '14', recordedAt: '2017-10-16T09:00:00Z' },
    });
    const state = given([
      opened(SURVIVOR),
      absorbed([statement('stmt-sohr'), retracted]),
    ]).state() as OpenedClaimState;
    expect(state.merged).toEqual([MERGED]);
    expect(state.statements.get('stmt-sohr')).toMatchObject({ sourceId: 'src-sohr', retracted: false });
    expect(state.statements.get('stmt-gone')?.retracted).toBe(true);
  });

  it('lets the surviving claim correct, retract and cite the merged statements afterwards', () => {
    const state = given([opened(SURVIVOR), absorbed()]);
    state
      .when({
        type: 'RetractStatement',
        data: { claimId: SURVIVOR, statementId: 'stmt-sohr', reason: 'other' },
      })
      .then([
        {
          type: 'StatementRetracted',
          data: { claimId: SURVIVOR, statementId: 'stmt-sohr', reason: 'other' },
        },
      ]);
  });

  it('absorbs a claim once, and never over a statement id it already has', () => {
    given([opened(SURVIVOR), absorbed()])
      .when(absorb())
      .thenFails('CLAIM_MERGED');
    const own: ClaimEvent = {
      type: 'StatementReported',
      data: {
        ...statement('stmt-sohr').current,
        claimId: SURVIVOR,
        statementId: 'stmt-sohr',
        sourceId: 'src-x',
      },
    };
    given([opened(SURVIVOR), own])
      .when(absorb())
      .thenFails('MERGE_STATEMENT_CLASH');
  });

  it('refuses to absorb into a claim that was merged away meanwhile', () => {
    const away: ClaimsMerged = {
      type: 'ClaimsMerged',
      data: { claimId: SURVIVOR, intoClaimId: 'claim-third', reason },
    };
    given([opened(SURVIVOR), away])
      .when(absorb())
      .thenFails('CLAIM_MERGED', 'claimId');
  });
});
