import type { StatementChanges } from '../claim.events';
import type {
  Attribution,
  ClaimStatus,
  ClaimValue,
  Proposition,
  Quote,
  RetractionReason,
  Stance,
  StatedAt,
  ValueKind,
  VerdictRating,
  Via,
} from '../values';
import {
  type Assertion,
  type ConflictReason,
  assertedValue,
  assertionOf,
  conflictBetween,
  isAsserting,
} from './assertion';
import { type ClaimRecord, type StatementRecord, type VerdictRecord, activeVerdict } from './claim-record';
import { comparePositions } from './position';
import { type SourceRecord, voiceOf } from './source-record';
import { valuesEqual } from './value-compatibility';

/**
 * DOMAIN.md "Deriving a claim's state": the pure read side. Given a claim's record and the
 * sources as of the same cut, it says where each source and each voice stands, which values are
 * asserted and by whom, which voices conflict and why, and the claim's status.
 *
 * Every list is ordered by stated time (ties to the later recorded), the same order that decides
 * positions, so the view reads as a chronology and is deterministic: report positions are unique.
 */

export type SourceLookup = (sourceId: string) => SourceRecord | undefined;

export interface DeriveClaimViewOptions {
  /** ISO 8601 instant: keep only statements whose (corrected) `statedAt.at` is before it. */
  statedBefore?: string;
}

export interface PositionView {
  sourceId: string;
  sourceName: string;
  voice: string;
  voiceName: string;
  stance: Stance;
  value?: ClaimValue;
  statementId: string;
  statedAt: StatedAt;
  quote: Quote;
  via?: Via;
  attribution: Attribution;
}

export interface VoiceView {
  voice: string;
  voiceName: string;
  stance: Stance;
  value?: ClaimValue;
  statementId: string;
  sourceId: string;
}

export interface ValueGroupView {
  value: ClaimValue;
  /** Voice ids, in voice order. */
  voices: string[];
}

/** One side of a conflict, with what was said, so an editor sees why without another read. */
export interface ConflictSide {
  statementId: string;
  sourceId: string;
  sourceName: string;
  voice: string;
  voiceName: string;
  stance: Stance;
  value?: ClaimValue;
  statedAt: StatedAt;
  quote: Quote;
}

export interface ConflictView {
  /** The voice whose position was stated first. */
  a: ConflictSide;
  b: ConflictSide;
  reason: ConflictReason;
}

export interface CorrectionView {
  position: string;
  recordedAt: string;
  reason: string;
  changes: StatementChanges;
}

export interface RetractionView {
  reason: RetractionReason;
  note?: string;
  position: string;
  recordedAt: string;
}

export interface OriginalFieldsView {
  stance: Stance;
  value?: ClaimValue;
  quote: Quote;
  statedAt: StatedAt;
  via?: Via;
  attribution: Attribution;
}

export interface StatementView {
  statementId: string;
  sourceId: string;
  stance: Stance;
  value?: ClaimValue;
  quote: Quote;
  statedAt: StatedAt;
  via?: Via;
  attribution: Attribution;
  reportedPosition: string;
  recordedAt: string;
  /** The fields as first reported, present only when a correction changed them. */
  original?: OriginalFieldsView;
  corrections: CorrectionView[];
  retraction: RetractionView | null;
  live: boolean;
  /** Live, but a later statement of the same source is its position. */
  superseded: boolean;
}

export interface VerdictView {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: string[];
  issuedAt: string;
  position: string;
}

export interface ClaimView {
  claimId: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
  status: ClaimStatus;
  positions: PositionView[];
  voices: VoiceView[];
  values: ValueGroupView[];
  conflicts: ConflictView[];
  statements: StatementView[];
  /** Shown beside the status, never instead of it (DOMAIN.md rule 6). */
  verdict: VerdictView | null;
  streamVersion: number;
  position: string;
  lastRecordedAt: string;
}

/** One voice's position with what it asserts. */
interface VoicePosition {
  voice: string;
  statement: StatementRecord;
  assertion: Assertion;
}

export function deriveClaimView(
  record: ClaimRecord,
  sources: SourceLookup,
  options: DeriveClaimViewOptions = {},
): ClaimView {
  const names = nameLookup(sources);
  const considered = consideredStatements(record.statements, options.statedBefore);
  const live = considered.filter(isLive);
  const sourcePositions = latestBy(live, (statement) => statement.sourceId);
  const positions = [...sourcePositions.values()].sort(compareStatedOrder);
  const voicePositions = [...latestBy(positions, (statement) => names.voice(statement.sourceId)).entries()]
    .map(([voice, statement]): VoicePosition => ({
      voice,
      statement,
      assertion: assertionOf(record.valueKind, statement.current.stance, statement.current.value),
    }))
    .sort((x, y) => compareStatedOrder(x.statement, y.statement));
  const conflicts = findConflicts(record.valueKind, voicePositions, names);
  const assertingVoices = voicePositions.filter((p) => isAsserting(p.statement.current.stance)).length;
  const verdict = activeVerdict(record);
  return {
    claimId: record.claimId,
    storyId: record.storyId,
    proposition: record.proposition,
    valueKind: record.valueKind,
    ...(record.unit !== undefined && { unit: record.unit }),
    status: statusOf(considered.length, live.length, assertingVoices, conflicts.length),
    positions: positions.map((statement) => positionView(statement, names)),
    voices: voicePositions.map((position) => voiceView(position, names)),
    values: distinctValues(record.valueKind, voicePositions),
    conflicts,
    statements: considered.map((statement) => statementView(statement, sourcePositions)),
    verdict: verdict === undefined ? null : verdictView(verdict),
    streamVersion: record.streamVersion,
    position: record.position,
    lastRecordedAt: record.lastRecordedAt,
  };
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

/**
 * DOMAIN.md rules 1 and 2 share one order: stated time compared as given (as instants, whatever
 * the precision), ties to the later recorded. An unparseable time sorts first, so it never
 * silently supersedes a statement whose time is known.
 */
export function compareStatedOrder(a: StatementRecord, b: StatementRecord): number {
  return (
    compareInstants(a.current.statedAt.at, b.current.statedAt.at) ||
    comparePositions(a.reportedPosition, b.reportedPosition)
  );
}

function compareInstants(a: string, b: string): number {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (!Number.isNaN(x)) return 1;
    if (!Number.isNaN(y)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return x - y;
}

/** Filters on the corrected `statedAt`: a corrected date is what we now believe was said when. */
function consideredStatements(
  statements: readonly StatementRecord[],
  statedBefore: string | undefined,
): readonly StatementRecord[] {
  if (statedBefore === undefined) return statements;
  const cut = Date.parse(statedBefore);
  if (Number.isNaN(cut)) throw new RangeError(`statedBefore is not an ISO 8601 instant: ${statedBefore}`);
  return statements.filter((statement) => Date.parse(statement.current.statedAt.at) < cut);
}

function isLive(statement: StatementRecord): boolean {
  return statement.retraction === undefined;
}

/** The latest statement per key, by stated order. */
function latestBy(
  statements: readonly StatementRecord[],
  keyOf: (statement: StatementRecord) => string,
): Map<string, StatementRecord> {
  const latest = new Map<string, StatementRecord>();
  for (const statement of statements) {
    const key = keyOf(statement);
    const current = latest.get(key);
    if (current === undefined || compareStatedOrder(statement, current) > 0) latest.set(key, statement);
  }
  return latest;
}

/** Pairs in voice order, so `a` is the earlier-stated side; a voice never conflicts with itself. */
function findConflicts(kind: ValueKind, voices: readonly VoicePosition[], names: NameLookup): ConflictView[] {
  const conflicts: ConflictView[] = [];
  voices.forEach((a, i) => {
    for (const b of voices.slice(i + 1)) {
      const reason = conflictBetween(kind, a.assertion, b.assertion);
      if (reason !== undefined)
        conflicts.push({ a: conflictSide(a, names), b: conflictSide(b, names), reason });
    }
  });
  return conflicts;
}

function conflictSide(position: VoicePosition, names: NameLookup): ConflictSide {
  const { statement, voice } = position;
  const { stance, value, statedAt, quote } = statement.current;
  return {
    statementId: statement.statementId,
    sourceId: statement.sourceId,
    sourceName: names.name(statement.sourceId),
    voice,
    voiceName: names.name(voice),
    stance,
    ...(value === undefined ? {} : { value }),
    statedAt,
    quote,
  };
}

/**
 * Each distinct affirmed value with the voices behind it; on a boolean claim a denial counts as
 * `false`. A value is shown as the first voice to state it put it ("about 3,000" vs "3000").
 */
function distinctValues(kind: ValueKind, voices: readonly VoicePosition[]): ValueGroupView[] {
  const groups: ValueGroupView[] = [];
  for (const { voice, assertion } of voices) {
    const value = assertedValue(assertion);
    if (value === undefined) continue;
    const group = groups.find((g) => valuesEqual(kind, g.value, value));
    if (group === undefined) groups.push({ value, voices: [voice] });
    else group.voices.push(voice);
  }
  return groups;
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
      return source === undefined ? sourceId : voiceOf(source);
    },
    name: (sourceId) => sources(sourceId)?.name ?? sourceId,
  };
}

function positionView(statement: StatementRecord, names: NameLookup): PositionView {
  const { current } = statement;
  const voice = names.voice(statement.sourceId);
  return {
    sourceId: statement.sourceId,
    sourceName: names.name(statement.sourceId),
    voice,
    voiceName: names.name(voice),
    stance: current.stance,
    ...(current.value !== undefined && { value: current.value }),
    statementId: statement.statementId,
    statedAt: current.statedAt,
    quote: current.quote,
    ...(current.via !== undefined && { via: current.via }),
    attribution: current.attribution,
  };
}

function voiceView({ voice, statement }: VoicePosition, names: NameLookup): VoiceView {
  const { current } = statement;
  return {
    voice,
    voiceName: names.name(voice),
    stance: current.stance,
    ...(current.value !== undefined && { value: current.value }),
    statementId: statement.statementId,
    sourceId: statement.sourceId,
  };
}

function statementView(
  statement: StatementRecord,
  sourcePositions: ReadonlyMap<string, StatementRecord>,
): StatementView {
  const { current } = statement;
  const live = isLive(statement);
  return {
    statementId: statement.statementId,
    sourceId: statement.sourceId,
    stance: current.stance,
    ...(current.value !== undefined && { value: current.value }),
    quote: current.quote,
    statedAt: current.statedAt,
    ...(current.via !== undefined && { via: current.via }),
    attribution: current.attribution,
    reportedPosition: statement.reportedPosition,
    recordedAt: statement.recordedAt,
    ...(statement.corrections.length > 0 && { original: statement.original }),
    corrections: [...statement.corrections],
    retraction: statement.retraction ?? null,
    live,
    superseded: live && sourcePositions.get(statement.sourceId) !== statement,
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
