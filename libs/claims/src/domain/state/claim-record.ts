import type { ClaimOpened, StatementReported } from '../claim.events';
import {
  absorbedClaim,
  type ClaimHeader,
  mergedAway,
  type Mutable,
  openedHeader,
  type RecordedClaimEvent,
  requireOpenedClaim,
  reworded,
  verdictIssued,
  verdictWithdrawn,
} from './claim-header';
import {
  absorbedStatement,
  correctedStatement,
  reportedStatement,
  type EventStamp,
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

export function findStatement(record: ClaimRecord, statementId: string): StatementRecord | undefined {
  return record.statements.find((statement) => statement.statementId === statementId);
}

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

function openedRecord(data: ClaimOpened['data'], recorded: RecordedClaimEvent): Mutable<ClaimRecord> {
  const { rewordings, verdicts, ...header } = openedHeader(data, recorded);
  // The record's historic key order: statements sit between rewordings and verdicts.
  return { ...header, rewordings, statements: [], verdicts };
}
