import type { ValueKind } from '../values';
import { agreedValueOf } from './agreed-value';
import { assertedValue } from './assertion';
import { type ClaimHeader, type VerdictRecord, activeVerdict } from './claim-header';
import type { ClaimRecord } from './claim-record';
import type { SideMoment } from './claim-sides';
import { atLatestMoment, latestFigure, momentOf, positionOrder, sameMoment } from './moment';
import type { ClaimReadState } from './claim-read-state';
import { compareStatedOrder } from './stated-order';
import { isLive, type StatementRecord } from './statement-record';
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
export { claimReadStateStatus, type SourceLookup, statusOf } from './claim-judgement';
import {
  judgePositions,
  type NameLookup,
  nameLookup,
  type SourceLookup,
  voiceOfPosition,
  type VoicePosition,
} from './claim-judgement';

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
