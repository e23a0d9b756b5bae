import type { ClaimStatus } from '../values';
import { type Assertion, assertionOf, isAsserting } from './assertion';
import type { ClaimHeader } from './claim-header';
import type { ClaimReadState } from './claim-read-state';
import { conflictsBetween, type SideMoment, sidesOf } from './claim-sides';
import type { SourcePosition } from './claim-view.types';
import { momentAt, momentOf, positionOrder } from './moment';
import { type SourceRecord, voiceOf } from './source-record';
import { compareStatedOrder } from './stated-order';

/**
 * The judgement of a claim (DOMAIN.md rules 2, 3 and 5): whose voice each position speaks with,
 * where each voice stands, which sides conflict, and the status that makes. The view
 * (claim-view.ts) renders it; the projection asks for the status alone once per event.
 */

export type SourceLookup = (sourceId: string) => SourceRecord | undefined;

/** One voice's position with what it asserts (and, on a varying claim, the moment it describes). */
export interface VoicePosition {
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
export function judgePositions(
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

/** A relay counts with the voice of its origin (DOMAIN.md rule 3); anything else with its source's. */
export function voiceOfPosition(position: SourcePosition, names: NameLookup): string {
  return names.voice(position.relay?.sourceId ?? position.sourceId);
}

export interface NameLookup {
  voice(sourceId: string): string;
  name(sourceId: string): string;
}

/** An unknown source (not yet registered at the cut) is its own voice and is named by its id. */
export function nameLookup(sources: SourceLookup): NameLookup {
  return {
    voice: (sourceId) => {
      const source = sources(sourceId);
      return source === undefined ? sourceId : voiceOf(source, sources);
    },
    name: (sourceId) => sources(sourceId)?.name ?? sourceId,
  };
}
