import type {
  ClaimAbsorbed,
  ClaimEvent,
  ClaimsMerged,
  ClaimOpened,
  ClaimReworded,
  StatementReported,
  VerdictIssued,
  VerdictWithdrawn,
} from '../claim.events';
import type { Proposition, ValueKind, VerdictRating } from '../values';
import {
  absorbedStatement,
  canonicalProposition,
  correctedStatement,
  type EventStamp,
  reportedStatement,
  retractedStatement,
  type StatementRecord,
} from './statement-record';
import { StreamInvariantError } from './stream-invariant.error';

export type { CorrectionRecord, RetractionRecord, StatementRecord } from './statement-record';

/**
 * The from-scratch fold of one claim stream: every statement with its whole history. It is the
 * single definition the incremental read model (claim-state.ts) is checked against, and what
 * reads that need every statement (`statedBefore`) fold.
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

/** What every fold of a claim knows besides its statements. */
export interface ClaimHeader {
  claimId: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
  /** A varying claim: each figure describes a moment (`asOf`). Absent, not false, when it does not. */
  varies?: true;
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

export interface ClaimRecord extends ClaimHeader {
  /** In the order they were reported. */
  statements: readonly StatementRecord[];
}

/** Pure: returns a new record (sharing untouched parts) and never mutates its inputs. */
export function evolveClaimRecord(
  record: ClaimRecord | undefined,
  recorded: RecordedClaimEvent,
): ClaimRecord {
  const fold = new ClaimRecordFold(record === undefined ? undefined : copyRecord(record));
  fold.apply(recorded);
  return fold.record;
}

/** Folds a stream in place: linear in its events (no copy of the statements per event). */
export function foldClaimRecord(events: Iterable<RecordedClaimEvent>): ClaimRecord | undefined {
  const fold = new ClaimRecordFold(undefined);
  for (const recorded of events) fold.apply(recorded);
  return fold.opened ? fold.record : undefined;
}

function copyRecord(record: ClaimRecord): ClaimRecord {
  return {
    ...record,
    rewordings: [...record.rewordings],
    statements: [...record.statements],
    verdicts: [...record.verdicts],
  };
}

/** The active verdict: the latest issued that has not been withdrawn. */
export function activeVerdict(record: Pick<ClaimHeader, 'verdicts'>): VerdictRecord | undefined {
  return record.verdicts.findLast((verdict) => verdict.withdrawal === undefined);
}

export function findStatement(record: ClaimRecord, statementId: string): StatementRecord | undefined {
  return record.statements.find((statement) => statement.statementId === statementId);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The fold itself: mutates the record it owns (its arrays are its own) and keeps an index of
 * statements by id, so each event costs O(1) whatever the claim's size.
 */
class ClaimRecordFold {
  private readonly index = new Map<string, number>();
  private current: Mutable<ClaimRecord> | undefined;

  constructor(record: ClaimRecord | undefined) {
    this.current = record;
    record?.statements.forEach((statement, i) => this.index.set(statement.statementId, i));
  }

  get opened(): boolean {
    return this.current !== undefined;
  }

  get record(): ClaimRecord {
    if (this.current === undefined) throw new StreamInvariantError('no ClaimOpened folded');
    return this.current;
  }

  apply(recorded: RecordedClaimEvent): void {
    const { event } = recorded;
    if (event.type === 'ClaimOpened') {
      if (this.current !== undefined)
        throw new StreamInvariantError(`claim ${event.data.claimId} opened twice`);
      this.current = openedRecord(event.data, recorded);
      return;
    }
    const record = requireOpenedClaim(this.current, event);
    this.applyToOpened(record, recorded);
    record.streamVersion = recorded.streamVersion;
    record.position = recorded.position;
    record.lastRecordedAt = recorded.recordedAt;
  }

  private applyToOpened(record: Mutable<ClaimRecord>, recorded: RecordedClaimEvent): void {
    const { event } = recorded;
    switch (event.type) {
      case 'ClaimOpened':
        throw new StreamInvariantError(`claim ${record.claimId} opened twice`);
      case 'ClaimReworded':
        return reworded(record, event.data, recorded);
      case 'StatementReported':
        return this.reported(record, event.data, recorded);
      case 'StatementCorrected':
        return this.update(record, event.data.statementId, (s) =>
          correctedStatement(s, event.data, recorded),
        );
      case 'StatementRetracted':
        return this.update(record, event.data.statementId, (s) =>
          retractedStatement(s, event.data, recorded),
        );
      case 'VerdictIssued':
        return verdictIssued(record, event.data, recorded);
      case 'VerdictWithdrawn':
        return verdictWithdrawn(record, event.data, recorded);
      case 'ClaimsMerged':
        return mergedAway(record, event.data);
      case 'ClaimAbsorbed':
        absorbedClaim(record, event.data);
        for (const statement of event.data.statements) {
          const absorbed = absorbedStatement(statement, event.data.mergedClaimId, recorded);
          if (this.index.has(absorbed.statementId))
            throw new StreamInvariantError(`statement ${absorbed.statementId} absorbed twice`);
          this.index.set(absorbed.statementId, record.statements.length);
          (record.statements as StatementRecord[]).push(absorbed);
        }
        return;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  private reported(record: Mutable<ClaimRecord>, data: StatementReported['data'], stamp: EventStamp): void {
    if (this.index.has(data.statementId)) {
      throw new StreamInvariantError(`statement ${data.statementId} reported twice`);
    }
    this.index.set(data.statementId, record.statements.length);
    (record.statements as StatementRecord[]).push(reportedStatement(data, stamp));
  }

  private update(
    record: Mutable<ClaimRecord>,
    statementId: string,
    change: (statement: StatementRecord) => StatementRecord,
  ): void {
    const index = this.index.get(statementId);
    const statement = index === undefined ? undefined : record.statements[index];
    if (index === undefined || statement === undefined)
      throw new StreamInvariantError(`statement ${statementId} not in claim ${record.claimId}`);
    (record.statements as StatementRecord[])[index] = change(statement);
  }
}

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

function openedRecord(data: ClaimOpened['data'], recorded: RecordedClaimEvent): Mutable<ClaimRecord> {
  const { rewordings, verdicts, ...header } = openedHeader(data, recorded);
  // The record's historic key order: statements sit between rewordings and verdicts.
  return { ...header, rewordings, statements: [], verdicts };
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

export type { Mutable };
