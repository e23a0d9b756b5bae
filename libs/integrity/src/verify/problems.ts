import type { ProblemKind, VerificationProblem } from './verification';

/** Where an event sits: enough to name it in a report. */
export interface Located {
  position: bigint;
  streamId: string;
  streamVersion: number;
}

/**
 * Some anomalies are only classified by what comes later: a version jump is a reordering if the
 * skipped version turns up further on and a deletion otherwise; two events claiming one version are
 * told apart by which of them the next version chains to. Until then the verifier keeps one suspect.
 */
export type Suspect =
  | { kind: 'jump'; at: Located; expected: number }
  | { kind: 'fork'; earlier: Located & { hash: string }; later: Located & { hash: string } }
  | { kind: 'gap'; position: bigint };

export const UNKNOWN_STREAM = Symbol('unknown');

export function located(event: Located): Located {
  return { position: event.position, streamId: event.streamId, streamVersion: event.streamVersion };
}

export function problemAt(kind: ProblemKind, at: Located, detail: string): VerificationProblem {
  return {
    kind,
    position: at.position.toString(),
    streamId: at.streamId,
    streamVersion: at.streamVersion,
    detail,
  };
}

export function forkProblem(
  suspect: Extract<Suspect, { kind: 'fork' }>,
  forged: 'earlier' | 'later',
): VerificationProblem {
  const bad = suspect[forged];
  const other = forged === 'earlier' ? suspect.later : suspect.earlier;
  return problemAt(
    'inserted',
    bad,
    `a second event claims ${bad.streamId} version ${bad.streamVersion} (the other is at position ${other.position}); the stream's history chains through position ${other.position}`,
  );
}

export function gapProblem(
  position: bigint,
  owner: { streamId: string; streamVersion: number } | typeof UNKNOWN_STREAM,
): VerificationProblem {
  if (owner === UNKNOWN_STREAM) {
    return {
      kind: 'missing',
      position: position.toString(),
      detail: `position ${position} is absent: an event was deleted (it was the last of its stream, so no chain names it)`,
    };
  }
  return {
    kind: 'missing',
    position: position.toString(),
    streamId: owner.streamId,
    streamVersion: owner.streamVersion,
    detail: `position ${position} is absent: ${owner.streamId} version ${owner.streamVersion} was deleted`,
  };
}

/** A suspect still open when the log ends: what it means with nothing left to resolve it. */
export function settleAtEnd(suspect: Suspect): VerificationProblem {
  switch (suspect.kind) {
    case 'jump':
      return problemAt(
        'missing',
        suspect.at,
        `${suspect.at.streamId} jumps to version ${suspect.at.streamVersion}: versions ${suspect.expected}..${suspect.at.streamVersion - 1} are missing`,
      );
    case 'fork':
      // Nothing chains to either: the first point where the log diverges is the earlier one.
      return forkProblem(suspect, 'earlier');
    case 'gap':
      return gapProblem(suspect.position, UNKNOWN_STREAM);
    default: {
      const _exhaustive: never = suspect;
      return _exhaustive;
    }
  }
}
