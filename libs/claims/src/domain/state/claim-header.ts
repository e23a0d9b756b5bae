import type {
  ClaimAbsorbed,
  ClaimEvent,
  ClaimsMerged,
  ClaimOpened,
  ClaimReworded,
  VerdictIssued,
  VerdictWithdrawn,
} from '../claim.events';
import type { Proposition, VerdictRating } from '../values';
import { canonicalProposition } from './canonical-fields';
import type { EventStamp } from './statement-record';
import { StreamInvariantError } from './stream-invariant.error';

/**
 * What both folds of a claim (the full record, claim-record.ts, and the incremental read state,
 * claim-read-state.ts) know besides its statements, and the updates they share. Split out of
 * claim-record.ts.
 */

/** One stored claim event with the store's metadata. */
export interface RecordedClaimEvent extends EventStamp {
  event: ClaimEvent;
  streamVersion: number;
}

export interface VerdictWithdrawalRecord {
  reason: string;
  position: string;
  recordedAt: string;
}

export interface VerdictRecord {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: readonly string[];
  /** Position of the VerdictIssued event. */
  position: string;
  issuedAt: string;
  withdrawal?: VerdictWithdrawalRecord;
}

export interface RewordingRecord {
  previous: Proposition;
  proposition: Proposition;
  reason: string;
  position: string;
  recordedAt: string;
}

type OpenedClaim = ClaimOpened['data'];

/**
 * What every fold of a claim knows besides its statements: what ClaimOpened said (the proposition
 * as the latest rewording left it; `varies` absent, not false, when the claim does not vary), and
 * what the fold has seen since.
 */
export interface ClaimHeader extends OpenedClaim {
  /** Global position and time of ClaimOpened: a stable order for listing claims. */
  openedPosition: string;
  openedAt: string;
  /** Version and global position of the last event folded in. */
  streamVersion: number;
  position: string;
  lastRecordedAt: string;
  rewordings: readonly RewordingRecord[];
  /** In the order they were issued, withdrawn ones included. */
  verdicts: readonly VerdictRecord[];
  /** The claim this one was merged into (decision 0020); absent while it stands on its own. */
  mergedInto?: string;
  /** Claims merged into this one, in the order they were; absent when none was. */
  merged?: readonly string[];
}

/** The active verdict: the latest issued that has not been withdrawn. */
export function activeVerdict(record: Pick<ClaimHeader, 'verdicts'>): VerdictRecord | undefined {
  return record.verdicts.findLast((verdict) => verdict.withdrawal === undefined);
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function requireOpenedClaim<T extends ClaimHeader>(record: T | undefined, event: ClaimEvent): T {
  if (record === undefined) {
    throw new StreamInvariantError(`${event.type} for claim ${event.data.claimId} before ClaimOpened`);
  }
  if (record.claimId !== event.data.claimId) {
    throw new StreamInvariantError(
      `${event.type} for claim ${event.data.claimId} in the stream of ${record.claimId}`,
    );
  }
  return record;
}

/** The header of a freshly opened claim, in the fixed key order every fold starts from. */
export function openedHeader(data: ClaimOpened['data'], recorded: RecordedClaimEvent): ClaimHeader {
  return {
    claimId: data.claimId,
    storyId: data.storyId,
    proposition: canonicalProposition(data.proposition),
    valueKind: data.valueKind,
    ...(data.unit !== undefined && { unit: data.unit }),
    ...(data.varies === true && { varies: true as const }),
    openedPosition: recorded.position,
    openedAt: recorded.recordedAt,
    streamVersion: recorded.streamVersion,
    position: recorded.position,
    lastRecordedAt: recorded.recordedAt,
    rewordings: [],
    verdicts: [],
  };
}

/** Header updates, shared by both folds; they mutate the header they are given. */
export function reworded(record: Mutable<ClaimHeader>, data: ClaimReworded['data'], stamp: EventStamp): void {
  const proposition = canonicalProposition(data.proposition);
  const rewording: RewordingRecord = {
    previous: record.proposition,
    proposition,
    reason: data.reason,
    position: stamp.position,
    recordedAt: stamp.recordedAt,
  };
  record.proposition = proposition;
  record.rewordings = [...record.rewordings, rewording];
}

export function verdictIssued(
  record: Mutable<ClaimHeader>,
  data: VerdictIssued['data'],
  stamp: EventStamp,
): void {
  if (record.verdicts.some((verdict) => verdict.verdictId === data.verdictId)) {
    throw new StreamInvariantError(`verdict ${data.verdictId} issued twice`);
  }
  const verdict: VerdictRecord = {
    verdictId: data.verdictId,
    rating: data.rating,
    rationale: data.rationale,
    evidence: [...data.evidence],
    position: stamp.position,
    issuedAt: stamp.recordedAt,
  };
  record.verdicts = [...record.verdicts, verdict];
}

export function verdictWithdrawn(
  record: Mutable<ClaimHeader>,
  data: VerdictWithdrawn['data'],
  stamp: EventStamp,
): void {
  const index = record.verdicts.findIndex((verdict) => verdict.verdictId === data.verdictId);
  const verdict = record.verdicts[index];
  if (verdict === undefined)
    throw new StreamInvariantError(`verdict ${data.verdictId} withdrawn but never issued`);
  if (verdict.withdrawal !== undefined)
    throw new StreamInvariantError(`verdict ${data.verdictId} withdrawn twice`);
  const withdrawal: VerdictWithdrawalRecord = {
    reason: data.reason,
    position: stamp.position,
    recordedAt: stamp.recordedAt,
  };
  record.verdicts = record.verdicts.with(index, { ...verdict, withdrawal });
}

export function mergedAway(record: Mutable<ClaimHeader>, data: ClaimsMerged['data']): void {
  if (record.mergedInto !== undefined) throw new StreamInvariantError(`claim ${record.claimId} merged twice`);
  record.mergedInto = data.intoClaimId;
}

export function absorbedClaim(record: Mutable<ClaimHeader>, data: ClaimAbsorbed['data']): void {
  if (record.merged?.includes(data.mergedClaimId))
    throw new StreamInvariantError(`claim ${data.mergedClaimId} absorbed twice`);
  record.merged = [...(record.merged ?? []), data.mergedClaimId];
}
