import type { AmendSource, AffiliationLookup, RegisterSource } from './source.commands';
import { MAX_AFFILIATION_CHAIN, sourceDecider } from './source.decider';
import type { SourceAmended, SourceChanges, SourceFields, SourceRegistered } from './source.events';
import { LIMITS } from './values';
import { deciderSpec } from './testing/decider-spec';

const { given } = deciderSpec(sourceDecider);

const SDF = 'src-sdf';
const SILO = 'src-silo';

const silo: SourceFields & { sourceId: string } = {
  sourceId: SILO,
  name: 'طلال سلو',
  nameLatin: 'Talal Silo',
  kind: 'person',
  role: 'spokesman',
  protected: false,
};
const sdf: SourceFields & { sourceId: string } = {
  sourceId: SDF,
  name: 'Syrian Democratic Forces',
  kind: 'organization',
  protected: false,
};

const orgLookup = (affiliationId = SDF): AffiliationLookup => ({ affiliationId, kind: 'organization' });

const register = (
  data: Partial<SourceFields> & { sourceId?: string } = {},
  affiliation?: AffiliationLookup,
): RegisterSource => ({
  type: 'RegisterSource',
  data: { ...silo, ...data },
  ...(affiliation ? { affiliation } : {}),
});
const registered = (data: Partial<SourceFields> = {}): SourceRegistered => ({
  type: 'SourceRegistered',
  data: { ...silo, ...data },
});

const amend = (
  changes: SourceChanges,
  affiliation?: AffiliationLookup,
  reason = 'spelling',
): AmendSource => ({
  type: 'AmendSource',
  data: { sourceId: SILO, changes, reason },
  ...(affiliation ? { affiliation } : {}),
});
const amended = (changes: SourceChanges, reason = 'spelling'): SourceAmended => ({
  type: 'SourceAmended',
  data: { sourceId: SILO, changes, reason },
});

describe('sourceDecider', () => {
  describe('no source', () => {
    it('registers a source', () => {
      given([]).when(register()).then([registered()]);
    });

    it('registers an affiliated person when the affiliation is an organization', () => {
      given([])
        .when(register({ affiliationId: SDF }, orgLookup()))
        .then([registered({ affiliationId: SDF })]);
    });

    it('registers a person affiliated with an outlet', () => {
      given([])
        .when(register({ affiliationId: 'src-reuters' }, { affiliationId: 'src-reuters', kind: 'outlet' }))
        .then([registered({ affiliationId: 'src-reuters' })]);
    });

    it('leaves out optional fields that are undefined, so the event equals its JSON', () => {
      given([])
        .when(register({ nameLatin: undefined, role: undefined, affiliationId: undefined }))
        .then([
          {
            type: 'SourceRegistered',
            data: { sourceId: SILO, name: silo.name, kind: 'person', protected: false },
          },
        ]);
    });

    it('refuses unknown keys rather than hash them into history', () => {
      const command = register();
      (command.data as unknown as Record<string, unknown>).extra = 'x';
      given([]).when(command).thenFails('INVALID_FIELD', 'extra');
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['too long', 'x'.repeat(LIMITS.nameChars + 1)],
    ])('refuses a name that is %s', (_label, name) => {
      given([]).when(register({ name })).thenFails('INVALID_FIELD', 'name');
    });

    it('accepts a name of exactly the limit', () => {
      const name = 'x'.repeat(LIMITS.nameChars);
      given([])
        .when(register({ name }))
        .then([registered({ name })]);
    });

    it('refuses an unknown kind', () => {
      given([])
        .when(register({ kind: 'robot' as never }))
        .thenFails('INVALID_FIELD', 'kind');
    });

    it('refuses a missing protected flag', () => {
      given([])
        .when(register({ protected: undefined as never }))
        .thenFails('INVALID_FIELD', 'protected');
    });

    it('refuses an empty role or latin name', () => {
      given([])
        .when(register({ role: '' }))
        .thenFails('INVALID_FIELD', 'role');
      given([])
        .when(register({ nameLatin: ' ' }))
        .thenFails('INVALID_FIELD', 'nameLatin');
    });

    it('refuses an empty source id', () => {
      given([])
        .when(register({ sourceId: '' }))
        .thenFails('INVALID_FIELD', 'sourceId');
    });

    describe('affiliation', () => {
      it('is not found without a lookup', () => {
        given([])
          .when(register({ affiliationId: SDF }))
          .thenFails('AFFILIATION_NOT_FOUND', 'affiliationId');
      });

      it('is not found when the lookup says it is not registered', () => {
        given([])
          .when(register({ affiliationId: SDF }, { affiliationId: SDF, kind: null }))
          .thenFails('AFFILIATION_NOT_FOUND', 'affiliationId');
      });

      it('is not found when the lookup is for another source', () => {
        given([])
          .when(register({ affiliationId: SDF }, orgLookup('src-other')))
          .thenFails('AFFILIATION_NOT_FOUND', 'affiliationId');
      });

      it.each(['outlet', 'group'] as const)('is invalid for a %s, which speaks for itself', (kind) => {
        given([])
          .when(register({ kind, affiliationId: SDF }, orgLookup()))
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });

      it.each(['person', 'group', 'anonymous'] as const)('is invalid with a %s', (kind) => {
        given([])
          .when(register({ affiliationId: SDF }, { affiliationId: SDF, kind }))
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });

      it('registers anonymous officials affiliated with their government', () => {
        given([])
          .when(register({ kind: 'anonymous', name: 'Turkish officials', affiliationId: SDF }, orgLookup()))
          .then([registered({ kind: 'anonymous', name: 'Turkish officials', affiliationId: SDF })]);
      });

      it('registers an organization as part of another (a consulate of its government)', () => {
        given([])
          .when(register({ kind: 'organization', name: 'Consulate', affiliationId: SDF }, orgLookup()))
          .then([registered({ kind: 'organization', name: 'Consulate', affiliationId: SDF })]);
      });

      it('refuses an organization as part of an outlet', () => {
        given([])
          .when(
            register({ kind: 'organization', affiliationId: SDF }, { affiliationId: SDF, kind: 'outlet' }),
          )
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });

      it('refuses a chain of affiliations longer than MAX_AFFILIATION_CHAIN links', () => {
        const ancestors = (n: number) => Array.from({ length: n }, (_, i) => `src-level-${i}`);
        given([])
          .when(
            register(
              { kind: 'organization', affiliationId: SDF },
              { ...orgLookup(), ancestors: ancestors(MAX_AFFILIATION_CHAIN - 1) },
            ),
          )
          .then([registered({ kind: 'organization', affiliationId: SDF })]);
        given([])
          .when(
            register(
              { kind: 'organization', affiliationId: SDF },
              { ...orgLookup(), ancestors: ancestors(MAX_AFFILIATION_CHAIN) },
            ),
          )
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });

      it('refuses a cycle: the affiliation is already part of the source', () => {
        const lookup: AffiliationLookup = {
          affiliationId: SDF,
          kind: 'organization',
          ancestors: ['src-x', SILO],
        };
        given([])
          .when(register({ kind: 'organization', affiliationId: SDF }, lookup))
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });

      it('is invalid with the source itself', () => {
        given([])
          .when(register({ affiliationId: SILO }, { affiliationId: SILO, kind: 'organization' }))
          .thenFails('AFFILIATION_INVALID', 'affiliationId');
      });
    });

    it('cannot amend a source that is not registered', () => {
      given([])
        .when(amend({ name: 'Talal Silo' }))
        .thenFails('SOURCE_NOT_FOUND', 'sourceId');
    });
  });

  describe('a registered source', () => {
    const history = [registered()];

    it('cannot be registered again', () => {
      given(history).when(register()).thenFails('SOURCE_ALREADY_EXISTS', 'sourceId');
    });

    it('cannot be amended under another source id', () => {
      const command = amend({ name: 'x' });
      command.data.sourceId = 'src-other';
      given(history).when(command).thenFails('SOURCE_NOT_FOUND', 'sourceId');
    });

    it('amends the name', () => {
      given(history)
        .when(amend({ name: 'طلال سلو (SDF)' }))
        .then([amended({ name: 'طلال سلو (SDF)' })]);
    });

    it('clears optional fields with null', () => {
      given(history)
        .when(amend({ nameLatin: null, role: null }))
        .then([amended({ nameLatin: null, role: null })]);
    });

    it('refuses to make an organization part of one that is already part of it (a cycle)', () => {
      // The ministry (SILO here) is made part of SDF, but SDF is already part of the ministry.
      const lookup: AffiliationLookup = { affiliationId: SDF, kind: 'organization', ancestors: [SILO] };
      given([registered({ kind: 'organization' })])
        .when(amend({ affiliationId: SDF }, lookup))
        .thenFails('AFFILIATION_INVALID', 'changes.affiliationId');
      given([registered({ kind: 'organization' })])
        .when(amend({ affiliationId: SDF }, { ...lookup, ancestors: ['src-state'] }))
        .then([amended({ affiliationId: SDF })]);
    });

    it('affiliates the person with an organization', () => {
      given(history)
        .when(amend({ affiliationId: SDF }, orgLookup()))
        .then([amended({ affiliationId: SDF })]);
    });

    it('keeps the unchanged fields of a partly effective amendment', () => {
      given(history)
        .when(amend({ name: silo.name, role: 'official' }))
        .then([amended({ name: silo.name, role: 'official' })]);
    });

    it.each<[string, SourceChanges]>([
      ['no changes', {}],
      ['the same name', { name: silo.name }],
      ['the same role and latin name', { role: 'spokesman', nameLatin: 'Talal Silo' }],
      ['clearing an absent affiliation', { affiliationId: null }],
    ])('refuses an amendment with %s', (_label, changes) => {
      given(history).when(amend(changes)).thenFails('NOTHING_CHANGED', 'changes');
    });

    it.each(['', '  '])('requires a reason (%j)', (reason) => {
      given(history)
        .when(amend({ name: 'x' }, undefined, reason))
        .thenFails('INVALID_FIELD', 'reason');
    });

    it('refuses a reason over the limit', () => {
      given(history)
        .when(amend({ name: 'x' }, undefined, 'r'.repeat(LIMITS.reasonChars + 1)))
        .thenFails('INVALID_FIELD', 'reason');
    });

    it('refuses to clear the name', () => {
      given(history)
        .when(amend({ name: null as never }))
        .thenFails('INVALID_FIELD', 'changes.name');
    });

    it('refuses an empty new name', () => {
      given(history)
        .when(amend({ name: '' }))
        .thenFails('INVALID_FIELD', 'changes.name');
    });

    it('refuses changes to fields that cannot be amended', () => {
      given(history)
        .when(amend({ kind: 'organization' } as never))
        .thenFails('INVALID_FIELD', 'changes.kind');
    });

    it('refuses an affiliation that is not registered', () => {
      given(history)
        .when(amend({ affiliationId: SDF }, { affiliationId: SDF, kind: null }))
        .thenFails('AFFILIATION_NOT_FOUND', 'changes.affiliationId');
    });

    it('refuses an affiliation with a person', () => {
      given(history)
        .when(amend({ affiliationId: 'src-bali' }, { affiliationId: 'src-bali', kind: 'person' }))
        .thenFails('AFFILIATION_INVALID', 'changes.affiliationId');
    });

    it('refuses an affiliation with itself', () => {
      given(history)
        .when(amend({ affiliationId: SILO }, { affiliationId: SILO, kind: 'person' }))
        .thenFails('AFFILIATION_INVALID', 'changes.affiliationId');
    });
  });

  describe('an organization', () => {
    const history: SourceRegistered[] = [{ type: 'SourceRegistered', data: sdf }];

    it('may become part of another organization', () => {
      given(history)
        .when({
          type: 'AmendSource',
          data: { sourceId: SDF, changes: { affiliationId: 'src-coalition' }, reason: 'r' },
          affiliation: { affiliationId: 'src-coalition', kind: 'organization', ancestors: [] },
        })
        .then([
          {
            type: 'SourceAmended',
            data: { sourceId: SDF, changes: { affiliationId: 'src-coalition' }, reason: 'r' },
          },
        ]);
    });

    it('cannot be part of a person', () => {
      given(history)
        .when({
          type: 'AmendSource',
          data: { sourceId: SDF, changes: { affiliationId: 'src-dillon' }, reason: 'r' },
          affiliation: { affiliationId: 'src-dillon', kind: 'person' },
        })
        .thenFails('AFFILIATION_INVALID', 'changes.affiliationId');
    });
  });

  describe('an affiliated person', () => {
    const history = [registered({ affiliationId: SDF })];

    it('can be disaffiliated', () => {
      given(history)
        .when(amend({ affiliationId: null }))
        .then([amended({ affiliationId: null })]);
    });

    it('refuses the same affiliation again', () => {
      given(history)
        .when(amend({ affiliationId: SDF }, orgLookup()))
        .thenFails('NOTHING_CHANGED', 'changes');
    });
  });

  describe('evolve', () => {
    it('starts unregistered', () => {
      expect(given([]).state()).toEqual({ registered: false });
    });

    it('applies amendments, removing cleared fields', () => {
      const state = given([
        registered(),
        amended({ name: 'T. Silo', role: null, affiliationId: SDF }),
        amended({ nameLatin: null }),
      ]).state();
      expect(state).toStrictEqual({
        registered: true,
        fields: { sourceId: SILO, name: 'T. Silo', kind: 'person', protected: false, affiliationId: SDF },
      });
    });

    it('ignores an amendment of an unregistered source (a corrupt stream)', () => {
      expect(given([amended({ name: 'x' })]).state()).toEqual({ registered: false });
    });

    it('returns a fresh initial state each time', () => {
      expect(sourceDecider.initialState()).not.toBe(sourceDecider.initialState());
    });
  });

  describe('shredding a protected source', () => {
    const shred = (reason = 'the source asked us to forget them') => ({
      type: 'ShredSourceIdentity' as const,
      data: { sourceId: SILO, reason, shreddedBy: 'admin-1' },
    });
    const sealed = registered({ protected: true, name: 'sealed:v1:AAAA', nameLatin: 'sealed:v1:BBBB' });
    const shreddedEvent = {
      type: 'SourceIdentityShredded' as const,
      data: { sourceId: SILO, reason: 'the source asked us to forget them', shreddedBy: 'admin-1' },
    };

    it('records who and why, and nothing of the identity', () => {
      given([sealed]).when(shred()).then([shreddedEvent]);
    });

    it('refuses an unknown, an unprotected or an already shredded source', () => {
      given([]).when(shred()).thenFails('SOURCE_NOT_FOUND', 'sourceId');
      given([registered()]).when(shred()).thenFails('SOURCE_NOT_PROTECTED', 'sourceId');
      given([sealed, shreddedEvent]).when(shred()).thenFails('SOURCE_SHREDDED', 'sourceId');
      given([sealed]).when(shred('')).thenFails('INVALID_FIELD', 'reason');
    });

    it('refuses amendments once shredded, and decides them on sealed state before (no plaintext needed)', () => {
      given([sealed, shreddedEvent])
        .when(amend({ role: 'driver' }))
        .thenFails('SOURCE_SHREDDED', 'sourceId');
      given([sealed])
        .when(amend({ role: 'driver' }))
        .then([amended({ role: 'driver' })]);
    });
  });
});
