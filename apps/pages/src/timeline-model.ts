import type { ClaimView, Stance, StatementFields, TimelineEntry } from './view-types';

/** One statement as the log knew it at a cut: what the claim timeline draws as a mark. */
export interface StatementMark {
  statementId: string;
  fields: StatementFields;
  /** Where StatementReported was recorded. */
  reportedPosition: bigint;
  corrections: { position: bigint; reason?: unknown }[];
  retracted: boolean;
  retractionReason?: unknown;
  /** Whose error the retraction corrects (`source`, `channel`, `newsroom`), when the newsroom said. */
  retractionFault?: string;
  /** Live, but no longer its source's position: greyed, with an arrow to `replacedBy`. */
  superseded: boolean;
  replacedBy?: string;
  /** The lane: the voice the statement counts with (a relayed statement counts with its basis). */
  voice: string;
  /** A relayed statement: the source it relays (its basis, or the source of the statement relayed). */
  relays?: string;
  /** A relay whose relayed statement (or one down its chain) was retracted: it counts for nothing. */
  relaysNothing?: true;
  stance: Stance;
}

type KnownStatement = Omit<
  StatementMark,
  'superseded' | 'replacedBy' | 'voice' | 'relays' | 'relaysNothing' | 'stance'
>;

/**
 * The statements as they stood after the last timeline entry at or before `position` (all of
 * them when undefined). Each entry carries the statement as it stood after that event (DOMAIN.md),
 * so a correction's entry holds the corrected fields and a retraction's has `live: false`.
 */
export function statementsAt(
  entries: readonly TimelineEntry[],
  position: bigint | undefined,
): Map<string, KnownStatement> {
  const statements = new Map<string, KnownStatement>();
  for (const entry of entries) {
    const at = BigInt(entry.position);
    if (position !== undefined && at > position) break;
    if (entry.statementId === undefined || entry.statement === undefined) continue;
    const known = statements.get(entry.statementId);
    const next = known ?? {
      statementId: entry.statementId,
      fields: entry.statement,
      reportedPosition: at,
      corrections: [],
      retracted: false,
    };
    next.fields = entry.statement;
    if (entry.type === 'StatementCorrected') next.corrections.push({ position: at, reason: entry.reason });
    if (entry.type === 'StatementRetracted' || entry.statement.live === false) {
      next.retracted = true;
      next.retractionReason ??= entry.reason;
      next.retractionFault ??= entry.faultOf;
    }
    statements.set(entry.statementId, next);
  }
  return statements;
}

/**
 * Marks for a claim at a cut: the statements known then, said before `statedBefore`, each with
 * its lane and whether it is superseded. The view (read at the same cut) says which statement is
 * each source's position; a live statement that is not is superseded by that one.
 * `voiceOfSource` gives the lane of sources without a position (declined, retracted, superseded).
 */
export function marksAt(
  entries: readonly TimelineEntry[],
  view: Pick<ClaimView, 'positions'>,
  cut: { position?: bigint; statedBefore?: string },
  voiceOfSource: (sourceId: string, basis: StatementFields['basis']) => string,
): StatementMark[] {
  const positionOf = new Map(view.positions.map((position) => [position.sourceId, position]));
  const voiceOfStatement = new Map(view.positions.map((position) => [position.statementId, position.voice]));
  const restsOnNothing = new Set(view.positions.filter((p) => p.relay?.retracted).map((p) => p.statementId));
  const before = cut.statedBefore === undefined ? undefined : Date.parse(cut.statedBefore);
  const marks: StatementMark[] = [];
  const known = statementsAt(entries, cut.position);
  for (const statement of known.values()) {
    if (before !== undefined && !(Date.parse(statement.fields.statedAt.at) < before)) continue;
    const holder = positionOf.get(statement.fields.sourceId);
    const superseded =
      !statement.retracted && holder !== undefined && holder.statementId !== statement.statementId;
    marks.push({
      ...statement,
      superseded,
      ...(superseded ? { replacedBy: holder.statementId } : {}),
      voice:
        voiceOfStatement.get(statement.statementId) ??
        voiceOfSource(statement.fields.sourceId, statement.fields.basis ?? null),
      ...relayOf(statement.fields.basis, known),
      ...(restsOnNothing.has(statement.statementId) && { relaysNothing: true as const }),
      stance: statement.fields.stance,
    });
  }
  return marks.sort(
    (a, b) =>
      Date.parse(a.fields.statedAt.at) - Date.parse(b.fields.statedAt.at) ||
      Number(a.reportedPosition - b.reportedPosition),
  );
}

/** The source a relay relays: its basis, or who made the statement it relays (known: it came first). */
function relayOf(
  basis: StatementFields['basis'],
  known: Map<string, KnownStatement>,
): Pick<StatementMark, 'relays'> {
  if (!basis) return {};
  if ('sourceId' in basis) return { relays: basis.sourceId };
  const relayed = known.get(basis.statementId);
  return relayed ? { relays: relayed.fields.sourceId } : {};
}

/** Lanes in the order their first statement was said; the same order at every cut. */
export function laneOrder(marks: readonly StatementMark[]): string[] {
  const lanes: string[] = [];
  for (const mark of marks) if (!lanes.includes(mark.voice)) lanes.push(mark.voice);
  return lanes;
}

/** Each conflict as links between the marks of its two sides (the voices' positions). */
export function conflictLinks(view: Pick<ClaimView, 'conflicts'>): { a: string; b: string; index: number }[] {
  return view.conflicts.flatMap((conflict, index) =>
    conflict.a.voices.flatMap((a) =>
      conflict.b.voices.map((b) => ({ a: a.statementId, b: b.statementId, index })),
    ),
  );
}
