/**
 * The source decider: who speaks, and for whom. Pure: the handler looks up the affiliation
 * (the decider does no I/O) and passes it in the command.
 */
import type {
  AffiliationLookup,
  AmendSource,
  RegisterSource,
  ShredSourceIdentity,
  SourceCommand,
} from './source.commands';
import type {
  SourceAmended,
  SourceChanges,
  SourceEvent,
  SourceFields,
  SourceIdentityShredded,
  SourceRegistered,
} from './source.events';
import { SOURCE_KINDS, LIMITS, type SourceKind } from './values';
import {
  applyPatch,
  fail,
  optionalText,
  requireBoolean,
  requireData,
  requireId,
  requireKnownKeys,
  requireObject,
  requireOneOf,
  requireReason,
  requireText,
} from './value-rules';

export type RegisteredSourceFields = SourceFields & { sourceId: string };

export type SourceState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      /** A protected source's identity fields are sealed text here: the decider never needs them. */
      readonly fields: Readonly<RegisteredSourceFields>;
      readonly shredded?: true;
    };

/** A function, so no caller can share (or mutate) one initial state. */
const initialState = (): SourceState => ({ registered: false });

/**
 * Who may speak for whom (DOMAIN.md "source", "voice"): a person or an anonymous source ("Turkish
 * officials, speaking anonymously") for an organization or an outlet; an organization as part of
 * another organization (a consulate of its government, a ministry of its state). Outlets and
 * groups speak for themselves: independence is what a voice measures.
 */
/**
 * A chain of command is a few links (a consul, a consulate, a ministry, a state); the bound keeps
 * a voice's resolution to a few lookups. It is checked above the source being affiliated.
 */
export const MAX_AFFILIATION_CHAIN = 10;

const AFFILIATIONS: Readonly<Record<SourceKind, readonly SourceKind[]>> = {
  person: ['organization', 'outlet'],
  anonymous: ['organization', 'outlet'],
  organization: ['organization'],
  outlet: [],
  group: [],
};
const REGISTER_KEYS: readonly (keyof RegisteredSourceFields)[] = [
  'sourceId',
  'name',
  'nameLatin',
  'kind',
  'role',
  'affiliationId',
  'protected',
];
const AMENDABLE_KEYS: readonly (keyof SourceChanges)[] = ['name', 'nameLatin', 'role', 'affiliationId'];

function decide(command: SourceCommand, state: SourceState): SourceEvent[] {
  switch (command.type) {
    case 'RegisterSource':
      return [register(command, state)];
    case 'AmendSource':
      return [amend(command, state)];
    case 'ShredSourceIdentity':
      return [shred(command, state)];
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function register(command: RegisterSource, state: SourceState): SourceRegistered {
  const data = requireData(command.data, REGISTER_KEYS);
  const sourceId = requireId(data.sourceId, 'sourceId');
  if (state.registered) fail('SOURCE_ALREADY_EXISTS', `source ${sourceId} is already registered`, 'sourceId');
  const kind = requireOneOf(data.kind, SOURCE_KINDS, 'kind');
  const affiliationId =
    data.affiliationId === undefined
      ? undefined
      : requireAffiliation(sourceId, kind, data.affiliationId, command.affiliation, 'affiliationId');
  // Built key by key: an unknown or undefined key must not reach the permanent record.
  const fields: RegisteredSourceFields = {
    sourceId,
    name: requireText(data.name, 'name', LIMITS.nameChars),
    kind,
    protected: requireBoolean(data.protected, 'protected'),
  };
  const nameLatin = optionalText(data.nameLatin, 'nameLatin', LIMITS.nameChars);
  const role = optionalText(data.role, 'role', LIMITS.nameChars);
  if (nameLatin !== undefined) fields.nameLatin = nameLatin;
  if (role !== undefined) fields.role = role;
  if (affiliationId !== undefined) fields.affiliationId = affiliationId;
  return { type: 'SourceRegistered', data: fields };
}

function amend(command: AmendSource, state: SourceState): SourceAmended {
  const data = requireData(command.data, ['sourceId', 'changes', 'reason']);
  if (!state.registered || state.fields.sourceId !== data.sourceId) {
    fail('SOURCE_NOT_FOUND', `source ${String(data.sourceId)} is not registered`, 'sourceId');
  }
  if (state.shredded)
    fail('SOURCE_SHREDDED', `source ${state.fields.sourceId} has been shredded`, 'sourceId');
  const current = state.fields;
  const reason = requireReason(data.reason);
  const changes = requireSourceChanges(data.changes, current, command.affiliation);
  if (
    !AMENDABLE_KEYS.some((key) => changes[key] !== undefined && (changes[key] ?? undefined) !== current[key])
  ) {
    fail('NOTHING_CHANGED', 'the amendment changes nothing', 'changes');
  }
  return { type: 'SourceAmended', data: { sourceId: current.sourceId, changes, reason } };
}

/**
 * Only a protected source has a key to destroy, and only once. Its statements stay (they still
 * count as its voice); only who it was is forgotten.
 */
function shred(command: ShredSourceIdentity, state: SourceState): SourceIdentityShredded {
  const data = requireData(command.data, ['sourceId', 'reason', 'shreddedBy']);
  if (!state.registered || state.fields.sourceId !== data.sourceId) {
    fail('SOURCE_NOT_FOUND', `source ${String(data.sourceId)} is not registered`, 'sourceId');
  }
  const sourceId = state.fields.sourceId;
  if (!state.fields.protected) {
    fail(
      'SOURCE_NOT_PROTECTED',
      `source ${sourceId} is not protected: it has no identity key to shred`,
      'sourceId',
    );
  }
  if (state.shredded) fail('SOURCE_SHREDDED', `source ${sourceId} has already been shredded`, 'sourceId');
  const reason = requireReason(data.reason);
  const shreddedBy = requireText(data.shreddedBy, 'shreddedBy', LIMITS.nameChars);
  return { type: 'SourceIdentityShredded', data: { sourceId, reason, shreddedBy } };
}

/** Validates each change; `null` clears an optional field, but a source always keeps its name. */
function requireSourceChanges(
  value: unknown,
  current: RegisteredSourceFields,
  affiliation: AffiliationLookup | undefined,
): SourceChanges {
  const changes = requireObject(value, 'changes');
  requireKnownKeys(changes, AMENDABLE_KEYS, 'changes');
  const result: SourceChanges = {};
  if (changes.name !== undefined) result.name = requireText(changes.name, 'changes.name', LIMITS.nameChars);
  if (changes.nameLatin !== undefined) {
    result.nameLatin = clearableText(changes.nameLatin, 'changes.nameLatin');
  }
  if (changes.role !== undefined) result.role = clearableText(changes.role, 'changes.role');
  if (changes.affiliationId === null) result.affiliationId = null;
  else if (changes.affiliationId !== undefined) {
    result.affiliationId = requireAffiliation(
      current.sourceId,
      current.kind,
      changes.affiliationId,
      affiliation,
      'changes.affiliationId',
    );
  }
  return result;
}

function clearableText(value: unknown, field: string): string | null {
  return value === null ? null : requireText(value, field, LIMITS.nameChars);
}

/**
 * An affiliated source speaks with the voice at the top of its chain, so the affiliation must be a
 * registered source of a kind it may speak for (as the handler found it), never the source itself,
 * and never one whose own chain leads back to the source: a cycle would have no top.
 */
function requireAffiliation(
  sourceId: string,
  kind: SourceKind,
  value: unknown,
  lookup: AffiliationLookup | undefined,
  field: string,
): string {
  const affiliationId = requireId(value, field);
  if (affiliationId === sourceId)
    fail('AFFILIATION_INVALID', 'a source cannot be affiliated with itself', field);
  const allowed = AFFILIATIONS[kind];
  if (allowed.length === 0)
    fail('AFFILIATION_INVALID', `a ${kind} speaks for itself and has no affiliation`, field);
  if (lookup === undefined || lookup.affiliationId !== affiliationId || lookup.kind === null) {
    fail('AFFILIATION_NOT_FOUND', `source ${affiliationId} is not registered`, field);
  }
  if (!allowed.includes(lookup.kind)) {
    fail(
      'AFFILIATION_INVALID',
      `a ${kind} may be affiliated with ${allowed.join(' or ')}, not a ${lookup.kind}`,
      field,
    );
  }
  if ((lookup.ancestors ?? []).length >= MAX_AFFILIATION_CHAIN) {
    fail(
      'AFFILIATION_INVALID',
      `a chain of affiliations is at most ${MAX_AFFILIATION_CHAIN} links above a source`,
      field,
    );
  }
  if ((lookup.ancestors ?? []).includes(sourceId)) {
    fail(
      'AFFILIATION_INVALID',
      `${affiliationId} is already part of ${sourceId}: that would make a cycle`,
      field,
    );
  }
  return affiliationId;
}

/**
 * Total: an event that cannot apply (only a corrupt stream would hold one) leaves the state as it
 * was, since the log, not the decider, is the source of truth.
 */
function evolve(state: SourceState, event: SourceEvent): SourceState {
  switch (event.type) {
    case 'SourceRegistered':
      return { registered: true, fields: event.data };
    case 'SourceAmended':
      return state.registered ? { ...state, fields: applyPatch(state.fields, event.data.changes) } : state;
    case 'SourceIdentityShredded':
      return state.registered ? { ...state, shredded: true } : state;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unknown event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const sourceDecider = { initialState, decide, evolve };
