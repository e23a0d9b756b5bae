import type { ClaimAbsorbed, StatementFields } from '../claim.events';
import { comparePositions } from './position';
import type { StatementBasis } from '../values';
import {
  absorbedClaim,
  type ClaimHeader,
  type Mutable,
  openedHeader,
  mergedAway,
  type RecordedClaimEvent,
  requireOpenedClaim,
  reworded,
  verdictIssued,
  verdictWithdrawn,
} from './claim-header';
import type { ClaimRecord } from './claim-record';
import { positionOrder } from './moment';
import {
  absorbedStatement,
  correctedStatement,
  isLive,
  reportedStatement,
  retractedStatement,
  type StatementRecord,
} from './statement-record';
import { type RelayOrigin, relayOrigin, slotOf } from './relay';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * The incremental fold of a claim (issue 7): only what the view needs, so an event costs the same
 * at 10 statements as at 5,000. Statements themselves live elsewhere (read-model rows, or the
 * historical reader's overlay), reached through `StatementAccess`.
 *
 * Each source's position is kept with its sort key. A new statement or a correction can only move
 * a position forward, which is decided from the position alone; only a retraction or a changed
 * stated time of the position itself needs the source's other live statements (the fallback).
 * Status, voices, values and conflicts are then derived from the positions (O(sources)) by the
 * same functions as the from-scratch derivation, which stays the single definition.
 */

/**
 * A source's position on one line (its own word, or a relay of one basis): its latest live
 * statement there, with the fields the view shows and, for a relay, where it leads.
 */
export interface PositionRecord {
  sourceId: string;
  statementId: string;
  reportedPosition: string;
  current: StatementFields;
  basis?: StatementBasis;
  relay?: RelayOrigin;
}

export interface ClaimReadState extends ClaimHeader {
  /** One per source and basis that has a live statement, in slot order (source id first). */
  positions: readonly PositionRecord[];
  /** Statements reported, and how many of them are retracted. */
  statementCount: number;
  retractedCount: number;
}

/** The statements the state does not hold, as they stand before the event. */
export interface StatementAccess {
  statement(statementId: string): StatementRecord | undefined;
  /** The source's statements on this claim that are not retracted. */
  liveStatementsOf(sourceId: string): readonly StatementRecord[];
}

export interface ClaimReadStep {
  state: ClaimReadState;
  /** The statement the event reported, corrected or retracted, as it stands after it. */
  statement?: StatementRecord;
  /** The statements a ClaimAbsorbed brought in (decision 0020), as this claim now holds them. */
  absorbed?: StatementRecord[];
}

/**
 * Mutates `state` in place (callers that must stay pure pass a copy) and returns it, with the
 * statement the event touched.
 */
export function evolveClaimReadState(
  state: ClaimReadState | undefined,
  recorded: RecordedClaimEvent,
  access: StatementAccess,
): ClaimReadStep {
  const { event } = recorded;
  if (event.type === 'ClaimOpened') {
    if (state !== undefined) throw new StreamInvariantError(`claim ${event.data.claimId} opened twice`);
    return {
      state: { ...openedHeader(event.data, recorded), positions: [], statementCount: 0, retractedCount: 0 },
    };
  }
  const current = requireOpenedClaim(state, event) as Mutable<ClaimReadState>;
  let statement: StatementRecord | undefined;
  let absorbed: StatementRecord[] | undefined;
  switch (event.type) {
    case 'ClaimReworded':
      reworded(current, event.data, recorded);
      break;
    case 'VerdictIssued':
      verdictIssued(current, event.data, recorded);
      break;
    case 'VerdictWithdrawn':
      verdictWithdrawn(current, event.data, recorded);
      break;
    case 'StatementReported':
      if (access.statement(event.data.statementId) !== undefined)
        throw new StreamInvariantError(`statement ${event.data.statementId} reported twice`);
      statement = reportedStatement(event.data, recorded);
      current.statementCount += 1;
      consider(current, statement, access);
      break;
    case 'StatementCorrected': {
      const before = requireStatement(access, current, event.data.statementId);
      statement = correctedStatement(before, event.data, recorded);
      if (isLive(statement)) {
        // On a varying claim the figure's moment orders positions too.
        const moved =
          before.current.statedAt.at !== statement.current.statedAt.at ||
          before.current.asOf?.at !== statement.current.asOf?.at;
        if (positionOf(current, slotOf(statement))?.statementId !== statement.statementId)
          consider(current, statement, access);
        else if (moved) fallBack(current, statement, access);
        else setPosition(current, statement, access);
      }
      break;
    }
    case 'StatementRetracted': {
      const before = requireStatement(access, current, event.data.statementId);
      statement = retractedStatement(before, event.data, recorded);
      current.retractedCount += 1;
      if (positionOf(current, slotOf(statement))?.statementId === statement.statementId)
        fallBack(current, statement, access);
      orphanRelaysOf(current, statement.statementId);
      break;
    }
    case 'ClaimsMerged':
      mergedAway(current, event.data);
      break;
    case 'ClaimAbsorbed':
      absorbedClaim(current, event.data);
      absorbed = absorb(current, event.data.mergedClaimId, event.data.statements, recorded, access);
      break;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  current.streamVersion = recorded.streamVersion;
  current.position = recorded.position;
  current.lastRecordedAt = recorded.recordedAt;
  return {
    state: current,
    ...(statement !== undefined && { statement }),
    ...(absorbed !== undefined && { absorbed }),
  };
}

/**
 * The merged claim's statements count as if reported here (decision 0020): each is considered
 * for its source's position by the same rule as a report, in its own report order. They may relay
 * one another, so the access sees them all first. O(statements merged × sources), once.
 */
function absorb(
  state: Mutable<ClaimReadState>,
  from: string,
  data: ClaimAbsorbed['data']['statements'],
  recorded: RecordedClaimEvent,
  access: StatementAccess,
): StatementRecord[] {
  const records = data.map((statement) => absorbedStatement(statement, from, recorded));
  const byId = new Map(records.map((record) => [record.statementId, record]));
  const overlay: StatementAccess = {
    statement: (id) => byId.get(id) ?? access.statement(id),
    liveStatementsOf: (sourceId) => [
      ...access.liveStatementsOf(sourceId),
      ...records.filter((r) => r.sourceId === sourceId && isLive(r)),
    ],
  };
  for (const record of [...records].sort((a, b) =>
    comparePositions(a.reportedPosition, b.reportedPosition),
  )) {
    if (access.statement(record.statementId) !== undefined)
      throw new StreamInvariantError(`statement ${record.statementId} absorbed twice`);
    state.statementCount += 1;
    if (!isLive(record)) state.retractedCount += 1;
    consider(state, record, overlay);
  }
  return records;
}

/** A deep copy, for callers that must not mutate what they were given (JSON-shaped data only). */
export function copyClaimReadState(state: ClaimReadState): ClaimReadState {
  return structuredClone(state);
}

function requireStatement(
  access: StatementAccess,
  state: ClaimReadState,
  statementId: string,
): StatementRecord {
  const statement = access.statement(statementId);
  if (statement === undefined)
    throw new StreamInvariantError(`statement ${statementId} not in claim ${state.claimId}`);
  return statement;
}

function positionOf(state: ClaimReadState, slot: string): PositionRecord | undefined {
  return state.positions.find((position) => slotOf(position) === slot);
}

/** A live statement becomes its source's position on its line when it is later in stated order. */
function consider(state: Mutable<ClaimReadState>, statement: StatementRecord, access: StatementAccess): void {
  if (!isLive(statement)) return;
  const position = positionOf(state, slotOf(statement));
  if (position === undefined || positionOrder(state.varies)(statement, position) > 0)
    setPosition(state, statement, access);
}

/**
 * A retracted statement takes the relays that rest on it down with it (DOMAIN.md rule 3, decision
 * 0019): every position whose relay chain passes through it now counts for nothing. O(positions).
 */
function orphanRelaysOf(state: Mutable<ClaimReadState>, statementId: string): void {
  if (!state.positions.some((p) => p.relay?.statementIds.includes(statementId) && !p.relay.retracted)) return;
  state.positions = state.positions.map((p) =>
    p.relay?.statementIds.includes(statementId) ? { ...p, relay: { ...p.relay, retracted: true } } : p,
  );
}

/**
 * The position itself was retracted or moved in stated time: the source's position is again its
 * latest live statement, read through the access (O(that source's statements), and rare).
 */
function fallBack(state: Mutable<ClaimReadState>, changed: StatementRecord, access: StatementAccess): void {
  const slot = slotOf(changed);
  const order = positionOrder(state.varies);
  let latest: StatementRecord | undefined;
  for (const stored of access.liveStatementsOf(changed.sourceId)) {
    const candidate = stored.statementId === changed.statementId ? changed : stored;
    if (slotOf(candidate) !== slot) continue;
    if (isLive(candidate) && (latest === undefined || order(candidate, latest) > 0)) latest = candidate;
  }
  if (isLive(changed) && (latest === undefined || order(changed, latest) > 0)) latest = changed;
  if (latest === undefined) state.positions = state.positions.filter((p) => slotOf(p) !== slot);
  else setPosition(state, latest, access);
}

function setPosition(
  state: Mutable<ClaimReadState>,
  statement: StatementRecord,
  access: StatementAccess,
): void {
  const relay = relayOrigin(statement.basis, (id) => access.statement(id));
  const position: PositionRecord = {
    sourceId: statement.sourceId,
    statementId: statement.statementId,
    reportedPosition: statement.reportedPosition,
    current: statement.current,
    ...(statement.basis !== undefined && { basis: statement.basis }),
    ...(relay !== undefined && { relay }),
  };
  const slot = slotOf(statement);
  const others = state.positions.filter((p) => slotOf(p) !== slot);
  const at = others.findIndex((p) => slotOf(p) > slot);
  state.positions = at === -1 ? [...others, position] : others.toSpliced(at, 0, position);
}

/** The full record again, from the state's header and every statement (reads that need them all). */
export function claimRecordFrom(state: ClaimReadState, statements: readonly StatementRecord[]): ClaimRecord {
  const { positions: _positions, statementCount: _count, retractedCount: _retracted, ...header } = state;
  return { ...header, statements };
}
