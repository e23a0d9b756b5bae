import type { ClaimStatus, ValueKind } from '../values';
import { agreedValueOf } from './agreed-value';
import { type Assertion, assertedValue, assertionOf, isAsserting } from './assertion';
import { type ClaimHeader, type ClaimRecord, type VerdictRecord, activeVerdict } from './claim-record';
import { conflictsBetween, type SideMoment, sidesOf } from './claim-sides';
import { atLatestMoment, latestFigure, momentAt, momentOf, positionOrder, sameMoment } from './moment';
import type { ClaimReadState } from './claim-read-state';
import { type SourceRecord, voiceOf } from './source-record';
import { compareStatedOrder, isLive, type StatementRecord } from './statement-record';
import { relayOrigin, slotOf } from './relay';
import { valuesEqual } from './value-compatibility';
import type {
  PositionView,
  SourcePosition,
  ValueGroupView,
  VerdictView,
  VoiceView,
  ClaimView,
  ClaimLinks,
} from './claim-view.types';

export * from './claim-view.types';

/**
 * DOMAIN.md "Deriving a claim's state": the pure read side. Given where each source stands and
 * the sources as of the same cut, it says where each voice stands, which values are asserted and
 * by whom, which sides conflict and why, what the voices agree on, and the claim's status.
 *
 * The view is bounded: it grows with sources, voices and distinct values, never with the
 * history (paged separately, GET /claims/{id}/statements) or with pairs of voices. Two paths reach
 * it through one function (`viewOfPositions`): from scratch (every statement → each source's
 * position, `deriveClaimView`) and incrementally (the positions the read model keeps,
 * `claimReadStateView`); a property test holds them equal.
 *
 * Every list is ordered by stated time (ties to the later recorded), the same order that decides
 * positions, so the view reads as a chronology and is deterministic: report positions are unique.
 */

export type SourceLookup = (sourceId: string) => SourceRecord | undefined;

export interface DeriveClaimViewOptions {
  /** ISO 8601 instant: keep only statements whose (corrected) `statedAt.at` is before it. */
  statedBefore?: string;
}

/** From scratch: every statement (said before the cut, if any) → positions → view. */
export function deriveClaimView(
  record: ClaimRecord,
  sources: SourceLookup,
  options: DeriveClaimViewOptions = {},
): ClaimView {
  const considered = consideredStatements(record.statements, options.statedBefore);
  const live = considered.filter(isLive);
  const byId = new Map(record.statements.map((statement) => [statement.statementId, statement]));
  const positions = [...latestBySource(live, positionOrder(record.varies)).values()].map(
    (statement): SourcePosition => {
      const relay = relayOrigin(statement.basis, (id) => byId.get(id));
      return {
        sourceId: statement.sourceId,
        statementId: statement.statementId,
        reportedPosition: statement.reportedPosition,
        current: statement.current,
        ...(statement.basis !== undefined && { basis: statement.basis }),
        ...(relay !== undefined && { relay }),
      };
    },
  );
  return viewOfPositions(record, positions, { total: considered.length, live: live.length }, sources);
}

/** Incrementally: the positions and counts the read model keeps → view. */
export function claimReadStateView(state: ClaimReadState, sources: SourceLookup): ClaimView {
  const counts = { total: state.statementCount, live: state.statementCount - state.retractedCount };
  return viewOfPositions(state, state.positions, counts, sources);
}

/** One voice's position with what it asserts (and, on a varying claim, the moment it describes). */
interface VoicePosition {
  voice: string;
  position: SourcePosition;
  assertion: Assertion;
  moment?: SideMoment;
}

/** Incrementally, the status alone: what `claimReadStateView(state, sources).status` says. */
export function claimReadStateStatus(state: ClaimReadState, sources: SourceLookup): ClaimStatus {
  const counts = { total: state.statementCount, live: state.statementCount - state.retractedCount };
  return judgePositions(state, state.positions, counts, nameLookup(sources)).status;
}

/**
 * Where the voices stand and what that makes the claim: the part of the view that decides its
 * status (rule 5), shared by the view and by `claimReadStateStatus` so the rules have one
 * definition. The projection needs a status per event but the view only once per batch.
 */
function judgePositions(
  header: ClaimHeader,
  sourcePositions: readonly SourcePosition[],
  counts: { total: number; live: number },
  names: NameLookup,
) {
  const kind = header.valueKind;
  const positions = [...sourcePositions].sort(compareStatedOrder);
  const varies = header.varies === true;
  const order = positionOrder(varies);
  const latestByVoice = new Map<string, SourcePosition>();
  // Each voice's position is the latest of its members' by the claim's order (rule 2; by moment on a varying claim).
  for (const position of [...positions].sort(order)) {
    // A relay of a retracted statement rests on nothing: shown, but no voice stands behind it.
    if (position.relay?.retracted === true) continue;
    latestByVoice.set(voiceOfPosition(position, names), position);
  }
  const voicePositions = [...latestByVoice.entries()]
    .map(([voice, position]): VoicePosition => ({
      voice,
      position,
      assertion: assertionOf(kind, position.current.stance, position.current.value),
      ...(varies && { moment: momentAt(momentOf(position)) }),
    }))
    .sort((x, y) => compareStatedOrder(x.position, y.position));
  const sides = sidesOf(
    kind,
    voicePositions.map(({ voice, position, assertion, moment }) => ({
      assertion,
      ...(moment !== undefined && { moment }),
      voice: {
        voice,
        voiceName: names.name(voice),
        sourceId: position.sourceId,
        statementId: position.statementId,
        stance: position.current.stance,
      },
    })),
  );
  const conflicts = conflictsBetween(kind, sides);
  const asserting = voicePositions.filter((p) => isAsserting(p.position.current.stance));
  const status = statusOf(counts.total, counts.live, asserting.length, conflicts.length);
  return { kind, positions, varies, order, voicePositions, conflicts, asserting, status };
}

/** The single definition of the view, given each source's position: O(sources). */
export function viewOfPositions(
  header: ClaimHeader,
  sourcePositions: readonly SourcePosition[],
  counts: { total: number; live: number },
  sources: SourceLookup,
): ClaimView {
  const names = nameLookup(sources);
  const { kind, positions, varies, order, voicePositions, conflicts, asserting, status } = judgePositions(
    header,
    sourcePositions,
    counts,
    names,
  );
  const verdict = activeVerdict(header);
  const values = distinctValues(kind, voicePositions);
  return {
    claimId: header.claimId,
    storyId: header.storyId,
    proposition: header.proposition,
    valueKind: kind,
    ...(header.unit !== undefined && { unit: header.unit }),
    ...(varies && { varies: true as const }),
    status,
    agreedValue: agreedValueOf(
      kind,
      status,
      (varies ? atLatestMoment(asserting, order) : asserting).map((p) => p.assertion),
    ),
    ...(varies && { latestFigure: latestFigure(values) }),
    positions: positions.map((position) => positionView(position, names, varies)),
    voices: voicePositions.map((position) => voiceView(position, names)),
    values,
    conflicts,
    verdict: verdict === undefined ? null : verdictView(verdict),
    mergedInto: header.mergedInto ?? null,
    merged: [...(header.merged ?? [])],
    statementCounts: {
      total: counts.total,
      live: counts.live,
      superseded: counts.live - positions.length,
      retracted: counts.total - counts.live,
    },
    links: claimLinks(header.claimId),
    streamVersion: header.streamVersion,
    position: header.position,
    lastRecordedAt: header.lastRecordedAt,
  };
}

export function claimLinks(claimId: string): ClaimLinks {
  const base = `/claims/${encodeURIComponent(claimId)}`;
  return { statements: `${base}/statements`, timeline: `${base}/timeline` };
}

/**
 * DOMAIN.md rule 5. `statedBefore` answers "what had been said before then, as we know it now",
 * so statements stated at or after the cut do not exist for that query: with none before the
 * cut the claim is `unsourced` then, and it is `retracted` only when every statement before the
 * cut has been retracted (retractions are known now, so they apply whenever they were recorded).
 */
export function statusOf(
  consideredStatements: number,
  liveStatements: number,
  assertingVoices: number,
  conflicts: number,
): ClaimStatus {
  if (consideredStatements === 0) return 'unsourced';
  if (liveStatements === 0) return 'retracted';
  if (assertingVoices === 0) return 'unconfirmed';
  if (assertingVoices === 1) return 'single-source';
  return conflicts > 0 ? 'contested' : 'corroborated';
}

/** Filters on the corrected `statedAt`: a corrected date is what we now believe was said when. */
export function consideredStatements<T extends StatementRecord>(
  statements: readonly T[],
  statedBefore: string | undefined,
): readonly T[] {
  if (statedBefore === undefined) return statements;
  const cut = Date.parse(statedBefore);
  if (Number.isNaN(cut)) throw new RangeError(`statedBefore is not an ISO 8601 instant: ${statedBefore}`);
  return statements.filter((statement) => Date.parse(statement.current.statedAt.at) < cut);
}

/**
 * Each source's position on each line: its latest live statement by stated order (DOMAIN.md rule
 * 1), its own word and each basis it relays apart (see `slotOf`).
 */
export function latestBySource(
  statements: readonly StatementRecord[],
  order: (a: StatementRecord, b: StatementRecord) => number = compareStatedOrder,
): Map<string, StatementRecord> {
  const latest = new Map<string, StatementRecord>();
  for (const statement of statements) {
    const slot = slotOf(statement);
    const current = latest.get(slot);
    if (current === undefined || order(statement, current) > 0) latest.set(slot, statement);
  }
  return latest;
}

/** A relay counts with the voice of its origin (DOMAIN.md rule 3); anything else with its source's. */
function voiceOfPosition(position: SourcePosition, names: NameLookup): string {
  return names.voice(position.relay?.sourceId ?? position.sourceId);
}

/**
 * Each distinct affirmed value with the voices behind it; on a boolean claim a denial counts as
 * `false`. A value is shown as the first voice to state it put it ("about 3,000" vs "3000").
 */
function distinctValues(kind: ValueKind, voices: readonly VoicePosition[]): ValueGroupView[] {
  const groups: (ValueGroupView & { span?: SideMoment['span'] })[] = [];
  for (const { voice, assertion, moment } of voices) {
    const value = assertedValue(assertion);
    if (value === undefined) continue;
    const group = groups.find(
      (g) => valuesEqual(kind, g.value, value) && (moment === undefined || sameMoment(g.span, moment.span)),
    );
    if (group !== undefined) group.voices.push(voice);
    else if (moment === undefined) groups.push({ value, voices: [voice] });
    else groups.push({ value, asOf: moment.asOf, voices: [voice], span: moment.span });
  }
  return groups.map(({ span: _span, ...group }) => group);
}

interface NameLookup {
  voice(sourceId: string): string;
  name(sourceId: string): string;
}

/** An unknown source (not yet registered at the cut) is its own voice and is named by its id. */
function nameLookup(sources: SourceLookup): NameLookup {
  return {
    voice: (sourceId) => {
      const source = sources(sourceId);
      return source === undefined ? sourceId : voiceOf(source, sources);
    },
    name: (sourceId) => sources(sourceId)?.name ?? sourceId,
  };
}

function positionView(position: SourcePosition, names: NameLookup, varies: boolean): PositionView {
  const { current } = position;
  const voice = voiceOfPosition(position, names);
  return {
    sourceId: position.sourceId,
    sourceName: names.name(position.sourceId),
    voice,
    voiceName: names.name(voice),
    stance: current.stance,
    ...(current.value !== undefined && { value: current.value }),
    statementId: position.statementId,
    statedAt: current.statedAt,
    ...(varies && { asOf: momentOf(position) }),
    quote: current.quote,
    ...(current.via !== undefined && { via: current.via }),
    attribution: current.attribution,
    ...(position.basis !== undefined && { basis: position.basis }),
    ...(position.relay !== undefined && { relay: position.relay }),
  };
}

function voiceView({ voice, position }: VoicePosition, names: NameLookup): VoiceView {
  const { current } = position;
  return {
    voice,
    voiceName: names.name(voice),
    stance: current.stance,
    ...(current.value !== undefined && { value: current.value }),
    statementId: position.statementId,
    sourceId: position.sourceId,
  };
}

function verdictView(verdict: VerdictRecord): VerdictView {
  return {
    verdictId: verdict.verdictId,
    rating: verdict.rating,
    rationale: verdict.rationale,
    evidence: [...verdict.evidence],
    issuedAt: verdict.issuedAt,
    position: verdict.position,
  };
}
