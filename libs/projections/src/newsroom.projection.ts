import {
  type ClaimEvent,
  type ClaimReadState,
  claimReadStateView,
  type ClaimView,
  copyClaimReadState,
  evolveClaimReadState,
  evolveSourceRecord,
  type SourceEvent,
  relayOrigin,
  type SourceLookup,
  type SourceRecord,
  type StatementBasis,
  type StatementAccess,
  type StatementRecord,
} from '@app/claims';

/**
 * Synchronous lookups into the read model as it stands before the event (inside the batch's
 * transaction). Every method is a plain keyed query, so an asynchronous store can answer the same
 * names with async queries (the PostgreSQL runner replays an event once its misses are loaded).
 */
export interface ReadModelReader {
  source(sourceId: string): SourceRecord | undefined;
  /** The claim's incremental state (positions per source, counts, verdicts), not its history. */
  claim(claimId: string): ClaimReadState | undefined;
  /** Claims with a statement by any of these sources. */
  claimsWithSources(sourceIds: readonly string[]): string[];
  /** Sources whose affiliation is this organization (they speak with its voice). */
  sourcesAffiliatedWith(sourceId: string): string[];
  /** One statement of a claim, with its whole history (an `rm_statements` row). */
  statement(claimId: string, statementId: string): StatementRecord | undefined;
  /** A source's statements on a claim that are not retracted: the fallback when its position goes. */
  liveStatementsOf(claimId: string, sourceId: string): StatementRecord[];
}

export interface ProjectedClaim {
  /** The incremental state, stored as the claim row's `record`. */
  record: ClaimReadState;
  view: ClaimView;
}

/** A claim's state after the event at `streamVersion`: where historical reads start (never in the log). */
export interface ClaimSnapshot {
  claimId: string;
  streamVersion: number;
  /** Global position of that event, a decimal string. */
  position: string;
  state: ClaimReadState;
}

/**
 * What one event changes; the runner writes it before the next event is projected. Every list is
 * a set of plain row upserts keyed as its table is: sources by id, claims by id, claimSources by
 * (source, claim), statements by (claim, statement), snapshots by (claim, stream version). No row
 * per event: a claim's timeline is answered from its events in the log (queries/claim-timeline.ts).
 */
export interface ReadModelChanges<Claim = ProjectedClaim> {
  sources: SourceRecord[];
  claims: Claim[];
  claimSources: { claimId: string; sourceId: string }[];
  statements: { claimId: string; statement: StatementRecord }[];
  snapshots: ClaimSnapshot[];
}

/**
 * One event's changes with each changed claim's state but not its view: the view is rendered
 * when the row is written (`renderViews`), so a batch that writes each claim once renders it once.
 */
export type FoldedChanges = ReadModelChanges<ClaimReadState>;

export interface ProjectableEvent {
  event: ClaimEvent | SourceEvent;
  position: bigint;
  recordedAt: string;
  streamVersion: number;
}

/** A snapshot every this many events of a claim: a cut read folds at most this many events. */
export const SNAPSHOT_EVERY = 50;

const NO_CHANGES: ReadModelChanges<never> = {
  sources: [],
  claims: [],
  claimSources: [],
  statements: [],
  snapshots: [],
};

/** How a changed claim shows in the changes: with its view rendered now, or its state alone. */
type ClaimOutput<Claim> = (state: ClaimReadState, sources: SourceLookup) => Claim;

const WITH_VIEW: ClaimOutput<ProjectedClaim> = (record, sources) => ({
  record,
  view: claimReadStateView(record, sources),
});

const STATE_ONLY: ClaimOutput<ClaimReadState> = (record) => record;

/**
 * The read model's evolve: pure, given the reader. Claim events update that claim's state, view,
 * the statement they touch and the source index; source events update the source and
 * re-derive the view of every claim whose voices, names or affiliations it touches (from the
 * claim's positions, O(sources)), so current state always uses today's names and affiliations.
 */
export function projectEvent(reader: ReadModelReader, projectable: ProjectableEvent): ReadModelChanges {
  return evolve(reader, projectable, WITH_VIEW);
}

/**
 * `projectEvent` without the views: each changed claim's state, for a caller that renders the
 * views of the claims it writes (`renderViews`) with the sources as they stand then. Writing the
 * claims a batch changed with views rendered at its end gives the rows event-by-event projection
 * gives: a source event re-derives every claim it touches, so no claim's view depends on a source
 * that changed after the claim's own last change without that claim changing again.
 */
export function foldEvent(reader: ReadModelReader, projectable: ProjectableEvent): FoldedChanges {
  return evolve(reader, projectable, STATE_ONLY);
}

/** Folded changes with each claim's view rendered against `sources`. */
export function renderViews(changes: FoldedChanges, sources: SourceLookup): ReadModelChanges {
  return { ...changes, claims: changes.claims.map((record) => WITH_VIEW(record, sources)) };
}

function evolve<Claim>(
  reader: ReadModelReader,
  projectable: ProjectableEvent,
  output: ClaimOutput<Claim>,
): ReadModelChanges<Claim> {
  const { event } = projectable;
  switch (event.type) {
    case 'SourceRegistered':
    case 'SourceAmended':
    case 'SourceIdentityShredded':
      return projectSourceEvent(reader, event, output);
    case 'ClaimOpened':
    case 'ClaimReworded':
    case 'StatementReported':
    case 'StatementCorrected':
    case 'StatementRetracted':
    case 'VerdictIssued':
    case 'VerdictWithdrawn':
    case 'ClaimsMerged':
    case 'ClaimAbsorbed':
      return projectClaimEvent(reader, { ...projectable, event }, output);
    default: {
      const _exhaustive: never = event;
      return NO_CHANGES;
    }
  }
}

function projectSourceEvent<Claim>(
  reader: ReadModelReader,
  event: SourceEvent,
  output: ClaimOutput<Claim>,
): ReadModelChanges<Claim> {
  const source = evolveSourceRecord(reader.source(event.data.sourceId), event);
  // A shredding changes no claim: a protected source is named by its placeholder there already.
  if (event.type !== 'SourceAmended') return { ...NO_CHANGES, sources: [source] };
  const lookup = withOverride(reader, source);
  const touched = withMembers(reader, source.sourceId);
  const claims = reader.claimsWithSources(touched).flatMap((claimId) => {
    const record = reader.claim(claimId);
    return record ? [output(record, lookup)] : [];
  });
  return { ...NO_CHANGES, sources: [source], claims };
}

function projectClaimEvent<Claim>(
  reader: ReadModelReader,
  projectable: ProjectableEvent & { event: ClaimEvent },
  output: ClaimOutput<Claim>,
): ReadModelChanges<Claim> {
  const { event } = projectable;
  const claimId = event.data.claimId;
  const recorded = {
    event,
    position: projectable.position.toString(),
    recordedAt: projectable.recordedAt,
    streamVersion: projectable.streamVersion,
  };
  const stored = reader.claim(claimId);
  // The fold works in place: on a copy, so the reader's answer (perhaps a cached object) is untouched.
  // A shallow one: the fold only assigns the state's own fields (its lists are replaced, never
  // changed in place), and a deep copy per event was a tenth of a rebuild's time.
  // The specs prove it: their read model (testing/map-read-model.ts) answers frozen rows.
  const {
    state,
    statement,
    absorbed = [],
  } = evolveClaimReadState(
    stored === undefined ? undefined : { ...stored },
    recorded,
    statementAccess(reader, claimId),
  );
  const claim = output(state, (id) => reader.source(id));
  const snapshot = state.streamVersion > 0 && state.streamVersion % SNAPSHOT_EVERY === 0;
  return {
    sources: [],
    claims: [claim],
    claimSources:
      event.type === 'StatementReported'
        ? claimSourcesOf(reader, event.data)
        : absorbedSources(claimId, absorbed),
    statements: [
      ...(statement ? [{ claimId, statement }] : []),
      ...absorbed.map((s) => ({ claimId, statement: s })),
    ],
    snapshots: snapshot
      ? [
          {
            claimId,
            streamVersion: state.streamVersion,
            position: state.position,
            state: copyClaimReadState(state),
          },
        ]
      : [],
  };
}

/**
 * The sources whose amendments move this claim's view: the reporter, and for a relay the source
 * it leads to (an amendment of the relayed government's affiliations moves the relay's voice).
 */
function claimSourcesOf(
  reader: ReadModelReader,
  data: { claimId: string; sourceId: string; basis?: StatementBasis },
): { claimId: string; sourceId: string }[] {
  const rows = [{ claimId: data.claimId, sourceId: data.sourceId }];
  const origin = relayOrigin(data.basis, (id) => reader.statement(data.claimId, id));
  if (origin !== undefined && origin.sourceId !== data.sourceId && !origin.retracted) {
    rows.push({ claimId: data.claimId, sourceId: origin.sourceId });
  }
  return rows;
}

/** A merge brings every source of the merged claim, and the origins its relays lead to. */
function absorbedSources(claimId: string, absorbed: readonly StatementRecord[]) {
  const byId = new Map(absorbed.map((s) => [s.statementId, s]));
  const sourceIds = new Set<string>();
  for (const statement of absorbed) {
    sourceIds.add(statement.sourceId);
    const origin = relayOrigin(statement.basis, (id) => byId.get(id));
    if (origin !== undefined && !origin.retracted) sourceIds.add(origin.sourceId);
  }
  return [...sourceIds].map((sourceId) => ({ claimId, sourceId }));
}

export function statementAccess(reader: ReadModelReader, claimId: string): StatementAccess {
  return {
    statement: (statementId) => reader.statement(claimId, statementId),
    liveStatementsOf: (sourceId) => reader.liveStatementsOf(claimId, sourceId),
  };
}

/**
 * The source and every source that speaks with its voice through a chain of affiliations (a
 * ministry's spokespeople, a consulate's officials): an amendment anywhere in the chain moves them
 * all. Breadth-first, each source once, so even a cycle (which writes refuse) ends.
 */
function withMembers(reader: ReadModelReader, sourceId: string): string[] {
  const members = [sourceId];
  for (let i = 0; i < members.length; i++) {
    for (const member of reader.sourcesAffiliatedWith(members[i]!)) {
      if (!members.includes(member)) members.push(member);
    }
  }
  return members;
}

function withOverride(reader: ReadModelReader, source: SourceRecord) {
  return (sourceId: string): SourceRecord | undefined =>
    sourceId === source.sourceId ? source : reader.source(sourceId);
}
