import type {
  CorrectStatement,
  IssueVerdict,
  OpenClaim,
  ReportStatement,
  RetractStatement,
  RewordClaim,
  WithdrawVerdict,
} from './claim.commands';
import { claimDecider, MAX_RELAY_CHAIN, type OpenedClaimState } from './claim.decider';
import type {
  ClaimOpened,
  ClaimReworded,
  StatementChanges,
  StatementCorrected,
  StatementReported,
  StatementRetracted,
  VerdictIssued,
  VerdictWithdrawn,
} from './claim.events';
import { LIMITS, type ValueKind } from './values';
import { deciderSpec } from './testing/decider-spec';

const { given } = deciderSpec(claimDecider);

const CLAIM = 'claim-foreign-fighters';
const S1 = 'stmt-alloush';
const S2 = 'stmt-coalition';

// ---------------------------------------------------------------- fixtures: the Raqqa story

const openData: ClaimOpened['data'] = {
  claimId: CLAIM,
  storyId: 'raqqa-2017-10-15',
  proposition: { text: 'Foreign ISIS fighters are included in the evacuation deal', language: 'en' },
  valueKind: 'boolean',
};
const openClaim = (data: Partial<OpenClaim['data']> = {}): OpenClaim => ({
  type: 'OpenClaim',
  data: { ...openData, ...data },
});
const claimOpened = (data: Partial<ClaimOpened['data']> = {}): ClaimOpened => ({
  type: 'ClaimOpened',
  data: { ...openData, ...data },
});
const quantityOpened = claimOpened({ valueKind: 'quantity', unit: 'fighters' });

type Report = StatementReported['data'];
const reportData: Report = {
  claimId: CLAIM,
  statementId: S1,
  sourceId: 'src-alloush',
  stance: 'affirms',
  value: true,
  quote: {
    text: 'إن المقاتلين الأجانب مشمولون بالاتفاق',
    language: 'ar',
    translation: { text: 'Foreign fighters are included in the deal', language: 'en' },
  },
  statedAt: { at: '2017-10-14T12:00:00Z', precision: 'day' },
  via: { outlet: 'AFP', kind: 'wire', url: 'https://www.afp.com/x', reportedAt: '2017-10-14T15:30:00Z' },
  attribution: 'on-record',
};
/** The commands reach us on the Monday after the Raqqa weekend. */
const RECEIVED_AT = '2017-10-16T08:00:00Z';
const report = (data: Partial<Report> = {}, sourceRegistered = true): ReportStatement => ({
  type: 'ReportStatement',
  data: { ...reportData, ...data },
  sourceRegistered,
  receivedAt: RECEIVED_AT,
});
const reported = (data: Partial<Report> = {}): StatementReported => ({
  type: 'StatementReported',
  data: { ...reportData, ...data },
});
/** Without an optional key at all (not even undefined), as events must be. */
const reportedWithout = (keys: ('value' | 'via')[], data: Partial<Report> = {}): StatementReported => {
  const event = reported(data);
  for (const key of keys) delete event.data[key];
  return event;
};

const correct = (changes: StatementChanges, statementId = S1, reason = 'typo'): CorrectStatement => ({
  type: 'CorrectStatement',
  data: { claimId: CLAIM, statementId, changes, reason },
  receivedAt: RECEIVED_AT,
});
const corrected = (changes: StatementChanges, statementId = S1, reason = 'typo'): StatementCorrected => ({
  type: 'StatementCorrected',
  data: { claimId: CLAIM, statementId, changes, reason },
});

const retract = (statementId = S1, note?: string): RetractStatement => ({
  type: 'RetractStatement',
  data: { claimId: CLAIM, statementId, reason: 'source-withdrew', ...(note === undefined ? {} : { note }) },
});
const retracted = (statementId = S1): StatementRetracted => ({
  type: 'StatementRetracted',
  data: { claimId: CLAIM, statementId, reason: 'source-withdrew' },
});

const verdictData: VerdictIssued['data'] = {
  claimId: CLAIM,
  verdictId: 'v1',
  rating: 'mixed',
  rationale: 'Officials on each side contradict each other.',
  evidence: [S1],
};
const issue = (data: Partial<VerdictIssued['data']> = {}): IssueVerdict => ({
  type: 'IssueVerdict',
  data: { ...verdictData, ...data },
});
const issued = (data: Partial<VerdictIssued['data']> = {}): VerdictIssued => ({
  type: 'VerdictIssued',
  data: { ...verdictData, ...data },
});
const withdraw = (verdictId = 'v1', reason = 'new evidence'): WithdrawVerdict => ({
  type: 'WithdrawVerdict',
  data: { claimId: CLAIM, verdictId, reason },
});
const withdrawn = (verdictId = 'v1', reason = 'new evidence'): VerdictWithdrawn => ({
  type: 'VerdictWithdrawn',
  data: { claimId: CLAIM, verdictId, reason },
});

const reword = (text: string, reason = 'clearer', language = 'en'): RewordClaim => ({
  type: 'RewordClaim',
  data: { claimId: CLAIM, proposition: { text, language }, reason },
});
const reworded = (text: string, reason = 'clearer', language = 'en'): ClaimReworded => ({
  type: 'ClaimReworded',
  data: { claimId: CLAIM, proposition: { text, language }, reason },
});

const opened = (state: unknown): OpenedClaimState => {
  expect(state).toMatchObject({ opened: true });
  return state as OpenedClaimState;
};

// ---------------------------------------------------------------- specs

describe('claimDecider', () => {
  describe('no claim', () => {
    it('opens a claim', () => {
      given([]).when(openClaim()).then([claimOpened()]);
    });

    it('opens a varying claim, and records a claim that does not vary without the flag', () => {
      given([])
        .when(openClaim({ valueKind: 'quantity', unit: 'people', varies: true }))
        .then([claimOpened({ valueKind: 'quantity', unit: 'people', varies: true })]);
      given([])
        .when(openClaim({ varies: false }))
        .then([claimOpened()]);
      given([])
        .when(openClaim({ varies: 'yes' as never }))
        .thenFails('INVALID_FIELD', 'varies');
    });

    it('opens a quantity claim with a unit', () => {
      given([])
        .when(openClaim({ valueKind: 'quantity', unit: 'fighters' }))
        .then([quantityOpened]);
    });

    it('opens a quantity claim without a unit (a count)', () => {
      given([])
        .when(openClaim({ valueKind: 'quantity' }))
        .then([claimOpened({ valueKind: 'quantity' })]);
    });

    it('leaves an undefined unit out of the event', () => {
      given([])
        .when(openClaim({ unit: undefined }))
        .then([claimOpened()]);
    });

    it.each<ValueKind>(['boolean', 'date', 'text'])('refuses a unit on a %s claim', (valueKind) => {
      given([])
        .when(openClaim({ valueKind, unit: 'km' }))
        .thenFails('UNIT_NOT_ALLOWED', 'unit');
    });

    it('refuses an empty unit on a quantity claim', () => {
      given([])
        .when(openClaim({ valueKind: 'quantity', unit: '' }))
        .thenFails('INVALID_FIELD', 'unit');
    });

    it('refuses an unknown value kind', () => {
      given([])
        .when(openClaim({ valueKind: 'number' as never }))
        .thenFails('INVALID_FIELD', 'valueKind');
    });

    it.each([
      ['empty', ''],
      ['blank', ' \n '],
      ['too long', 'p'.repeat(LIMITS.propositionChars + 1)],
    ])('refuses a proposition that is %s', (_label, text) => {
      given([])
        .when(openClaim({ proposition: { text, language: 'en' } }))
        .thenFails('INVALID_FIELD', 'proposition.text');
    });

    it('refuses a proposition without a language', () => {
      given([])
        .when(openClaim({ proposition: { text: 'x', language: '' } }))
        .thenFails('INVALID_FIELD', 'proposition.language');
    });

    it('refuses an empty story id', () => {
      given([])
        .when(openClaim({ storyId: '' }))
        .thenFails('INVALID_FIELD', 'storyId');
    });

    it.each([
      ['RewordClaim', reword('x')],
      ['ReportStatement', report()],
      ['CorrectStatement', correct({ value: false })],
      ['RetractStatement', retract()],
      ['IssueVerdict', issue()],
      ['WithdrawVerdict', withdraw()],
    ])('refuses %s', (_label, command) => {
      given([]).when(command).thenFails('CLAIM_NOT_FOUND', 'claimId');
    });
  });

  describe('an open claim', () => {
    const history = [claimOpened()];

    it('cannot be opened again', () => {
      given(history).when(openClaim()).thenFails('CLAIM_ALREADY_EXISTS', 'claimId');
    });

    it('refuses a command for another claim id', () => {
      given(history)
        .when(report({ claimId: 'claim-other' }))
        .thenFails('CLAIM_NOT_FOUND', 'claimId');
    });

    describe('RewordClaim', () => {
      it('rewords the proposition', () => {
        given(history)
          .when(reword('Foreign fighters are part of the deal'))
          .then([reworded('Foreign fighters are part of the deal')]);
      });

      it('rewords when only the language changes', () => {
        given(history)
          .when(reword(openData.proposition.text, 'tagged wrongly', 'en-GB'))
          .then([reworded(openData.proposition.text, 'tagged wrongly', 'en-GB')]);
      });

      it('refuses the same proposition', () => {
        given(history).when(reword(openData.proposition.text)).thenFails('NOTHING_CHANGED', 'proposition');
      });

      it('requires a reason', () => {
        given(history).when(reword('new', '')).thenFails('INVALID_FIELD', 'reason');
      });

      it('refuses an empty proposition', () => {
        given(history).when(reword('')).thenFails('INVALID_FIELD', 'proposition.text');
      });
    });

    describe('ReportStatement', () => {
      it('reports a statement', () => {
        given(history).when(report()).then([reported()]);
      });

      it('reports a statement without via or translation', () => {
        const quote = { text: 'نعم', language: 'ar' };
        given(history)
          .when(report({ via: undefined, quote }))
          .then([reportedWithout(['via'], { quote })]);
      });

      it('treats a null value or via as absent', () => {
        given(history)
          .when(report({ stance: 'declined', value: null as never, via: null as never }))
          .then([reportedWithout(['value', 'via'], { stance: 'declined' })]);
      });

      it('refuses a source that is not registered', () => {
        given(history).when(report({}, false)).thenFails('SOURCE_NOT_FOUND', 'sourceId');
      });

      it('refuses an empty statement id', () => {
        given(history)
          .when(report({ statementId: '' }))
          .thenFails('INVALID_FIELD', 'statementId');
      });

      it('refuses unknown keys rather than hash them into history', () => {
        const command = report();
        (command.data as unknown as Record<string, unknown>).extra = 1;
        given(history).when(command).thenFails('INVALID_FIELD', 'extra');
      });

      describe('time', () => {
        it('refuses a statement stated after it reached us (2071 typed for 2017)', () => {
          given(history)
            .when(report({ statedAt: { at: '2071-10-14T12:00:00Z', precision: 'day' } }))
            .thenFails('TIME_IN_FUTURE', 'statedAt.at');
        });

        it('refuses a report published after it reached us', () => {
          given(history)
            .when(report({ via: { outlet: 'AFP', kind: 'wire', reportedAt: '2017-10-17T00:00:00Z' } }))
            .thenFails('TIME_IN_FUTURE', 'via.reportedAt');
        });

        it('allows an hour of clock slack', () => {
          given(history)
            .when(report({ statedAt: { at: '2017-10-16T08:59:00Z', precision: 'minute' } }))
            .then([reported({ statedAt: { at: '2017-10-16T08:59:00Z', precision: 'minute' } })]);
        });
      });

      describe('stance and value', () => {
        it('requires a value to affirm', () => {
          given(history)
            .when(report({ value: undefined }))
            .thenFails('VALUE_REQUIRED', 'value');
        });

        it('lets a denial carry a value', () => {
          given(history)
            .when(report({ stance: 'denies', value: true }))
            .then([reported({ stance: 'denies', value: true })]);
        });

        it('lets a denial carry none (it denies the proposition)', () => {
          given(history)
            .when(report({ stance: 'denies', value: undefined }))
            .then([reportedWithout(['value'], { stance: 'denies' })]);
        });

        it('refuses a value when declined', () => {
          given(history)
            .when(report({ stance: 'declined' }))
            .thenFails('VALUE_NOT_ALLOWED', 'value');
        });

        it('reports a hedged statement: uncertain, with the value the source leans to', () => {
          given(history)
            .when(report({ stance: 'uncertain' }))
            .then([reported({ stance: 'uncertain' })]);
        });

        it.each(['uncertain', 'declined'] as const)('reports %s without a value', (stance) => {
          given(history)
            .when(report({ stance, value: undefined }))
            .then([reportedWithout(['value'], { stance })]);
        });

        it('refuses an unknown stance', () => {
          given(history)
            .when(report({ stance: 'maybe' as never }))
            .thenFails('INVALID_FIELD', 'stance');
        });

        it('refuses a number on a boolean claim', () => {
          given(history)
            .when(report({ value: 1 as never }))
            .thenFails('VALUE_KIND_MISMATCH', 'value');
        });

        it('refuses a quantity on a boolean claim', () => {
          given(history)
            .when(report({ value: { exact: 1 } }))
            .thenFails('VALUE_KIND_MISMATCH', 'value');
        });
      });

      describe('on a quantity claim', () => {
        const quantityHistory = [quantityOpened];

        it.each([{ exact: 275 }, { min: 200, max: 300 }, { approx: 3000 }])('reports %j', (value) => {
          given(quantityHistory)
            .when(report({ value }))
            .then([reported({ value })]);
        });

        it('refuses a string', () => {
          given(quantityHistory)
            .when(report({ value: '275' }))
            .thenFails('VALUE_KIND_MISMATCH', 'value');
        });

        it('refuses a range with min above max', () => {
          given(quantityHistory)
            .when(report({ value: { min: 300, max: 200 } }))
            .thenFails('VALUE_INVALID', 'value');
        });

        it('refuses NaN', () => {
          given(quantityHistory)
            .when(report({ value: { exact: NaN } }))
            .thenFails('VALUE_INVALID', 'value.exact');
        });
      });

      describe('shapes', () => {
        it("reports a quote that is the channel's translation of words said in another language", () => {
          const quote = { text: 'We will reveal the naked truth', language: 'en', translatedFrom: 'tr' };
          given(history)
            .when(report({ quote }))
            .then([reported({ quote })]);
        });

        it.each(['document', 'photo', 'video'] as const)(
          'reports a statement that reached us as a %s',
          (kind) => {
            const via = { outlet: 'Sabah', kind };
            given(history)
              .when(report({ via }))
              .then([reported({ via })]);
          },
        );

        it.each([
          ['quote.text', { quote: { text: '', language: 'ar' } }],
          ['quote.text', { quote: { text: 'q'.repeat(LIMITS.quoteChars + 1), language: 'ar' } }],
          ['quote.language', { quote: { text: 'x', language: 'arabic!' } }],
          [
            'quote.translation.text',
            { quote: { text: 'x', language: 'ar', translation: { text: '', language: 'en' } } },
          ],
          [
            'quote.translation.language',
            { quote: { text: 'x', language: 'ar', translation: { text: 'y', language: '' } } },
          ],
          ['statedAt.at', { statedAt: { at: '2017-10-14', precision: 'day' } }],
          ['statedAt.at', { statedAt: { at: '2017-10-14T12:00:00+03:00', precision: 'day' } }],
          ['statedAt.at', { statedAt: { at: '2017-02-30T12:00:00Z', precision: 'day' } }],
          ['statedAt.precision', { statedAt: { at: '2017-10-14T12:00:00Z', precision: 'week' } }],
          ['via.outlet', { via: { outlet: '', kind: 'wire' } }],
          ['via.kind', { via: { outlet: 'AFP', kind: 'pigeon' } }],
          ['via.url', { via: { outlet: 'AFP', kind: 'wire', url: 'javascript:alert(1)' } }],
          ['via.url', { via: { outlet: 'AFP', kind: 'wire', url: 'not a url' } }],
          ['via.reportedAt', { via: { outlet: 'AFP', kind: 'wire', reportedAt: 'Sunday' } }],
          ['attribution', { attribution: 'off-the-record' }],
          ['quote.translatedFrom', { quote: { text: 'x', language: 'en', translatedFrom: 'Turkish' } }],
          ['quote.translatedFrom', { quote: { text: 'x', language: 'en', translatedFrom: 'en' } }],
        ])('refuses a bad %s', (field, data) => {
          given(history)
            .when(report(data as Partial<Report>))
            .thenFails('INVALID_FIELD', field);
        });

        it('accepts a quote of exactly the limit', () => {
          const quote = { text: 'ق'.repeat(LIMITS.quoteChars), language: 'ar' };
          given(history)
            .when(report({ quote }))
            .then([reported({ quote })]);
        });
      });
    });

    it('refuses to correct a statement that is not in the claim', () => {
      given(history)
        .when(correct({ value: false }))
        .thenFails('STATEMENT_NOT_FOUND', 'statementId');
    });

    it('refuses to retract a statement that is not in the claim', () => {
      given(history).when(retract()).thenFails('STATEMENT_NOT_FOUND', 'statementId');
    });

    it('refuses a verdict without evidence', () => {
      given(history)
        .when(issue({ evidence: [] }))
        .thenFails('EVIDENCE_REQUIRED', 'evidence');
    });

    it('refuses a verdict citing statements of another claim', () => {
      given(history).when(issue()).thenFails('EVIDENCE_NOT_IN_CLAIM', 'evidence.0');
    });

    it('refuses to withdraw an unknown verdict', () => {
      given(history).when(withdraw()).thenFails('VERDICT_NOT_FOUND', 'verdictId');
    });
  });

  describe('a claim with a statement', () => {
    const history = [claimOpened(), reported()];

    it('refuses a statement id already used', () => {
      given(history)
        .when(report({ sourceId: 'src-other' }))
        .thenFails('STATEMENT_ALREADY_EXISTS', 'statementId');
    });

    describe('basis (a relayed statement)', () => {
      const relayOf = (basis: unknown, data: Partial<Report> = {}, basisSourceRegistered?: boolean) => {
        const command = report({ statementId: S2, sourceId: 'src-coalition', ...data });
        (command.data as unknown as Record<string, unknown>).basis = basis;
        return basisSourceRegistered === undefined ? command : { ...command, basisSourceRegistered };
      };

      it('reports a relay of a registered source', () => {
        given(history)
          .when(relayOf({ sourceId: 'src-turkey' }, {}, true))
          .then([
            reported({ statementId: S2, sourceId: 'src-coalition', basis: { sourceId: 'src-turkey' } }),
          ]);
      });

      it('reports a relay of a statement of this claim (a chain may follow)', () => {
        given(history)
          .when(relayOf({ statementId: S1 }))
          .then([reported({ statementId: S2, sourceId: 'src-coalition', basis: { statementId: S1 } })]);
      });

      it.each<[string, unknown, string, string, boolean | undefined]>([
        ['an unregistered source', { sourceId: 'src-nobody' }, 'SOURCE_NOT_FOUND', 'basis.sourceId', false],
        ['the source itself', { sourceId: 'src-coalition' }, 'INVALID_FIELD', 'basis.sourceId', true],
        [
          'a statement not in this claim',
          { statementId: 'stmt-elsewhere' },
          'STATEMENT_NOT_FOUND',
          'basis.statementId',
          undefined,
        ],
        [
          'both a source and a statement',
          { sourceId: 'src-turkey', statementId: S1 },
          'INVALID_FIELD',
          'basis',
          true,
        ],
        ['neither', {}, 'INVALID_FIELD', 'basis', undefined],
        ['an unknown key', { source: 'src-turkey' }, 'INVALID_FIELD', 'basis.source', undefined],
        ['not an object', 'src-turkey', 'INVALID_FIELD', 'basis', undefined],
      ])('refuses a basis that is %s', (_label, basis, code, field, registered) => {
        given(history)
          .when(relayOf(basis, {}, registered))
          .thenFails(code as never, field);
      });

      it("refuses a relay of the source's own statement", () => {
        given(history)
          .when(relayOf({ statementId: S1 }, { sourceId: reportData.sourceId }))
          .thenFails('INVALID_FIELD', 'basis.statementId');
      });

      it('refuses a relay chain longer than MAX_RELAY_CHAIN statements', () => {
        // s0 by src-0, s1 by src-1 relays s0, … : a relay of s(k) leads through k + 1 statements.
        const chain: (ClaimOpened | StatementReported)[] = [claimOpened()];
        for (let k = 0; k < MAX_RELAY_CHAIN; k++) {
          chain.push(
            reported({
              statementId: `s${k}`,
              sourceId: `src-${k}`,
              ...(k > 0 && { basis: { statementId: `s${k - 1}` } }),
            }),
          );
        }
        const relayOfLast = (statementId: string) => {
          const command = report({ statementId: 'relay', sourceId: 'src-last' });
          (command.data as unknown as Record<string, unknown>).basis = { statementId };
          return command;
        };
        given(chain)
          .when(relayOfLast(`s${MAX_RELAY_CHAIN - 1}`))
          .then([
            reported({
              statementId: 'relay',
              sourceId: 'src-last',
              basis: { statementId: `s${MAX_RELAY_CHAIN - 1}` },
            }),
          ]);
        chain.push(
          reported({
            statementId: 'longer',
            sourceId: 'src-x',
            basis: { statementId: `s${MAX_RELAY_CHAIN - 1}` },
          }),
        );
        given(chain).when(relayOfLast('longer')).thenFails('INVALID_FIELD', 'basis.statementId');
      });

      it('refuses to correct a basis: it decides whose voice the statement is', () => {
        given(history)
          .when(correct({ basis: { sourceId: 'src-turkey' } } as never))
          .thenFails('INVALID_FIELD', 'changes.basis');
      });
    });

    it('reports a second statement', () => {
      given(history)
        .when(report({ statementId: S2, sourceId: 'src-coalition', stance: 'denies', value: undefined }))
        .then([reportedWithout(['value'], { statementId: S2, sourceId: 'src-coalition', stance: 'denies' })]);
    });

    describe('CorrectStatement', () => {
      it('refuses a correction that moves the statement after its receipt', () => {
        given(history)
          .when(correct({ statedAt: { at: '2071-10-14T12:00:00Z', precision: 'day' } }))
          .thenFails('TIME_IN_FUTURE', 'changes.statedAt.at');
      });

      it('corrects the value', () => {
        given(history)
          .when(correct({ value: false }))
          .then([corrected({ value: false })]);
      });

      it('corrects the stated time', () => {
        const statedAt = { at: '2017-10-14T18:00:00Z', precision: 'part-of-day' } as const;
        given(history)
          .when(correct({ statedAt }))
          .then([corrected({ statedAt })]);
      });

      it('corrects the quote, the channel and the attribution at once', () => {
        const changes: StatementChanges = {
          quote: { text: 'المقاتلون الأجانب مشمولون', language: 'ar' },
          via: { outlet: 'Reuters', kind: 'wire' },
          attribution: 'background',
        };
        given(history)
          .when(correct(changes))
          .then([corrected(changes)]);
      });

      it('removes the channel with null', () => {
        given(history)
          .when(correct({ via: null }))
          .then([corrected({ via: null })]);
      });

      it('changes the stance to declined when the value is removed too', () => {
        given(history)
          .when(correct({ stance: 'declined', value: null }))
          .then([corrected({ stance: 'declined', value: null })]);
      });

      it('refuses a stance that no longer fits the value', () => {
        given(history)
          .when(correct({ stance: 'declined' }))
          .thenFails('VALUE_NOT_ALLOWED', 'changes.value');
      });

      it('corrects an affirmation to a hedge that keeps the value it leans to', () => {
        given(history)
          .when(correct({ stance: 'uncertain' }))
          .then([corrected({ stance: 'uncertain' })]);
      });

      it('refuses to remove the value of an affirmation', () => {
        given(history)
          .when(correct({ value: null }))
          .thenFails('VALUE_REQUIRED', 'changes.value');
      });

      it('refuses a value of the wrong kind', () => {
        given(history)
          .when(correct({ value: 'yes' }))
          .thenFails('VALUE_KIND_MISMATCH', 'changes.value');
      });

      it('refuses a malformed stated time', () => {
        given(history)
          .when(correct({ statedAt: { at: 'yesterday', precision: 'day' } }))
          .thenFails('INVALID_FIELD', 'changes.statedAt.at');
      });

      it.each(['stance', 'quote', 'statedAt', 'attribution'])('refuses to remove the required %s', (key) => {
        given(history)
          .when(correct({ [key]: null }))
          .thenFails('INVALID_FIELD', `changes.${key}`);
      });

      it('refuses to correct the source (a misattribution is a retraction)', () => {
        given(history)
          .when(correct({ sourceId: 'src-other' } as StatementChanges))
          .thenFails('INVALID_FIELD', 'changes.sourceId');
      });

      it.each<[string, StatementChanges]>([
        ['no changes', {}],
        ['the same value', { value: true }],
        [
          'the same quote, keys reordered',
          {
            quote: { translation: reportData.quote.translation, language: 'ar', text: reportData.quote.text },
          },
        ],
        ['the same stated time', { statedAt: { ...reportData.statedAt } }],
        ['the same attribution', { attribution: 'on-record' }],
      ])('refuses a correction with %s', (_label, changes) => {
        given(history).when(correct(changes)).thenFails('NOTHING_CHANGED', 'changes');
      });

      it('requires a reason', () => {
        given(history)
          .when(correct({ value: false }, S1, ''))
          .thenFails('INVALID_FIELD', 'reason');
      });

      it('refuses an unknown statement', () => {
        given(history)
          .when(correct({ value: false }, 'stmt-unknown'))
          .thenFails('STATEMENT_NOT_FOUND', 'statementId');
      });

      it('does not find a statement named after an object property', () => {
        given(history)
          .when(correct({ value: false }, 'constructor'))
          .thenFails('STATEMENT_NOT_FOUND', 'statementId');
      });
    });

    describe('RetractStatement', () => {
      it('retracts it', () => {
        given(history).when(retract()).then([retracted()]);
      });

      it('retracts it with a note', () => {
        const event = retracted();
        event.data.note = 'SOHR withdrew its report on Monday';
        given(history).when(retract(S1, 'SOHR withdrew its report on Monday')).then([event]);
      });

      it('refuses an unknown reason', () => {
        const command = retract();
        command.data.reason = 'bored' as never;
        given(history).when(command).thenFails('INVALID_FIELD', 'reason');
      });

      it('refuses an empty note', () => {
        given(history).when(retract(S1, ' ')).thenFails('INVALID_FIELD', 'note');
      });

      it.each(['source', 'channel', 'newsroom'] as const)('records whose error it was: %s', (faultOf) => {
        const command = retract();
        command.data = { ...command.data, reason: 'misattributed', faultOf };
        given(history)
          .when(command)
          .then([
            {
              type: 'StatementRetracted',
              data: { claimId: CLAIM, statementId: S1, reason: 'misattributed', faultOf },
            },
          ]);
      });

      it('refuses an unknown fault', () => {
        const command = retract();
        command.data = { ...command.data, faultOf: 'reader' as never };
        given(history).when(command).thenFails('INVALID_FIELD', 'faultOf');
      });
    });

    describe('IssueVerdict', () => {
      it('issues a verdict', () => {
        given(history).when(issue()).then([issued()]);
      });

      it('refuses empty evidence', () => {
        given(history)
          .when(issue({ evidence: [] }))
          .thenFails('EVIDENCE_REQUIRED', 'evidence');
      });

      it('refuses evidence that is not a list', () => {
        given(history)
          .when(issue({ evidence: S1 as never }))
          .thenFails('EVIDENCE_REQUIRED', 'evidence');
      });

      it('refuses a statement of another claim', () => {
        given(history)
          .when(issue({ evidence: [S1, 'stmt-elsewhere'] }))
          .thenFails('EVIDENCE_NOT_IN_CLAIM', 'evidence.1');
      });

      it('refuses a statement cited twice', () => {
        given(history)
          .when(issue({ evidence: [S1, S1] }))
          .thenFails('INVALID_FIELD', 'evidence.1');
      });

      it('refuses more evidence than the limit', () => {
        const evidence = Array.from({ length: LIMITS.evidenceItems + 1 }, (_, i) => `s${i}`);
        given(history).when(issue({ evidence })).thenFails('INVALID_FIELD', 'evidence');
      });

      it.each([
        ['empty', ''],
        ['too long', 'r'.repeat(LIMITS.rationaleChars + 1)],
      ])('refuses a rationale that is %s', (_label, rationale) => {
        given(history).when(issue({ rationale })).thenFails('INVALID_FIELD', 'rationale');
      });

      it('refuses an unknown rating', () => {
        given(history)
          .when(issue({ rating: 'pants-on-fire' as never }))
          .thenFails('INVALID_FIELD', 'rating');
      });
    });
  });

  describe('a varying claim', () => {
    const history = [claimOpened({ valueKind: 'quantity', unit: 'people', varies: true })];
    const asOf = { at: '2017-10-13T00:00:00Z', precision: 'day' } as const;

    it('reports a figure with the moment it describes', () => {
      given(history)
        .when(report({ value: { exact: 18 }, asOf }))
        .then([reported({ value: { exact: 18 }, asOf })]);
    });

    it('corrects the moment, or removes it (the figure then describes when it was said)', () => {
      const withFigure = [...history, reported({ value: { exact: 18 }, asOf })];
      given(withFigure)
        .when(correct({ asOf: { at: '2017-10-12T00:00:00Z', precision: 'day' } }))
        .then([corrected({ asOf: { at: '2017-10-12T00:00:00Z', precision: 'day' } })]);
      given(withFigure)
        .when(correct({ asOf: null }))
        .then([corrected({ asOf: null })]);
    });

    it('refuses a malformed moment', () => {
      given(history)
        .when(report({ value: { exact: 18 }, asOf: { at: 'Friday', precision: 'day' } }))
        .thenFails('INVALID_FIELD', 'asOf.at');
    });
  });

  describe('a claim that does not vary', () => {
    it('refuses a moment (asOf): it would mean nothing there', () => {
      given([claimOpened()])
        .when(report({ asOf: { at: '2017-10-13T00:00:00Z', precision: 'day' } }))
        .thenFails('INVALID_FIELD', 'asOf');
    });
  });

  describe('a claim with a retracted statement', () => {
    const history = [claimOpened(), reported(), retracted()];

    it('records a relay of the retracted statement as said (it will count for nothing)', () => {
      const relay = { statementId: S2, sourceId: 'src-sohr', basis: { statementId: S1 } };
      given(history)
        .when(report(relay))
        .then([reported(relay)]);
    });

    it('refuses to retract it again', () => {
      given(history).when(retract()).thenFails('STATEMENT_RETRACTED', 'statementId');
    });

    it('refuses to correct it', () => {
      given(history)
        .when(correct({ value: false }))
        .thenFails('STATEMENT_RETRACTED', 'statementId');
    });

    it('refuses to reuse its id', () => {
      given(history).when(report()).thenFails('STATEMENT_ALREADY_EXISTS', 'statementId');
    });

    it('may still be cited as evidence', () => {
      given(history).when(issue()).then([issued()]);
    });
  });

  describe('a claim with an active verdict', () => {
    const history = [claimOpened(), reported(), issued()];

    it('refuses another verdict until it is withdrawn', () => {
      given(history)
        .when(issue({ verdictId: 'v2' }))
        .thenFails('VERDICT_ALREADY_ACTIVE', 'verdictId');
    });

    it('refuses to reuse its id', () => {
      given(history).when(issue()).thenFails('VERDICT_ALREADY_EXISTS', 'verdictId');
    });

    it('withdraws it', () => {
      given(history).when(withdraw()).then([withdrawn()]);
    });

    it('requires a reason to withdraw it', () => {
      given(history).when(withdraw('v1', '')).thenFails('INVALID_FIELD', 'reason');
    });

    it('refuses to withdraw an unknown verdict', () => {
      given(history).when(withdraw('v9')).thenFails('VERDICT_NOT_FOUND', 'verdictId');
    });
  });

  describe('a claim with a withdrawn verdict', () => {
    const history = [claimOpened(), reported(), issued(), withdrawn()];

    it('issues a new verdict', () => {
      given(history)
        .when(issue({ verdictId: 'v2', rating: 'true' }))
        .then([issued({ verdictId: 'v2', rating: 'true' })]);
    });

    it('refuses to reuse the withdrawn id', () => {
      given(history).when(issue()).thenFails('VERDICT_ALREADY_EXISTS', 'verdictId');
    });

    it('refuses to withdraw it again', () => {
      given(history).when(withdraw()).thenFails('VERDICT_ALREADY_WITHDRAWN', 'verdictId');
    });
  });

  describe('evolve', () => {
    it('starts unopened', () => {
      expect(given([]).state()).toEqual({ opened: false });
    });

    it('holds the claim as opened, with its unit', () => {
      const state = opened(given([quantityOpened]).state());
      expect(state).toMatchObject({
        claimId: CLAIM,
        valueKind: 'quantity',
        unit: 'fighters',
        activeVerdictId: null,
      });
      expect(state.statements.size).toBe(0);
    });

    it('applies rewordings', () => {
      const state = opened(given([claimOpened(), reworded('new words')]).state());
      expect(state.proposition).toEqual({ text: 'new words', language: 'en' });
    });

    it('applies corrections in place, removing nulled fields', () => {
      const state = opened(
        given([claimOpened(), reported(), corrected({ stance: 'declined', value: null, via: null })]).state(),
      );
      const {
        value: _value,
        via: _via,
        claimId: _claim,
        statementId: _s,
        sourceId: _src,
        ...rest
      } = reportData;
      expect(state.statements.get(S1)).toStrictEqual({
        statementId: S1,
        sourceId: 'src-alloush',
        retracted: false,
        fields: { ...rest, stance: 'declined' },
      });
    });

    it('marks retracted statements', () => {
      const state = opened(given([claimOpened(), reported(), retracted()]).state());
      expect(state.statements.get(S1)?.retracted).toBe(true);
    });

    it('tracks the active verdict', () => {
      const issuedState = opened(given([claimOpened(), reported(), issued()]).state());
      expect(issuedState.activeVerdictId).toBe('v1');
      const withdrawnState = opened(given([claimOpened(), reported(), issued(), withdrawn()]).state());
      expect(withdrawnState.activeVerdictId).toBeNull();
      expect(withdrawnState.verdicts.get('v1')).toEqual({ verdictId: 'v1', withdrawn: true });
    });

    it('ignores events that cannot apply (a corrupt stream)', () => {
      expect(given([reported()]).state()).toEqual({ opened: false });
      const state = opened(given([claimOpened(), corrected({ value: false }), withdrawn()]).state());
      expect(state.statements.size).toBe(0);
      expect(state.verdicts.size).toBe(0);
    });

    it('does not change earlier states', () => {
      const before = opened(given([claimOpened()]).state());
      claimDecider.evolve(before, reported());
      expect(before.statements.size).toBe(0);
    });
  });
});
