/**
 * Test helpers (not a spec): build a claim's recorded stream the way the store would hand it
 * back, with increasing global positions and server times, and sources as the lookup sees them.
 */
import type { StatementChanges, StatementFields } from '../claim.events';
import type {
  Attribution,
  ClaimValue,
  RetractionFault,
  RetractionReason,
  SourceKind,
  StatedAt,
  StatedPrecision,
  StatementBasis,
  ValueKind,
  VerdictRating,
  Via,
} from '../values';
import type { RecordedClaimEvent } from './claim-header';
import { type ClaimRecord, evolveClaimRecord } from './claim-record';
import {
  type ClaimView,
  type DeriveClaimViewOptions,
  type SourceLookup,
  deriveClaimView,
} from './claim-view';
import { type StatementView, statementViews } from './statement-view';
import { type SourceRecord, evolveSourceRecord } from './source-record';

export const FRI = '2017-10-13T12:00:00Z';
export const SAT = '2017-10-14T12:00:00Z';
export const SAT_EVENING = '2017-10-14T18:00:00Z';
export const SUN = '2017-10-15T10:00:00Z';
export const MON = '2017-10-16T10:00:00Z';

export interface ReportOptions {
  value?: ClaimValue;
  precision?: StatedPrecision;
  quote?: string;
  via?: Via;
  attribution?: Attribution;
  /** What the statement relays (DOMAIN.md rule 3). */
  basis?: StatementBasis;
  /** Varying claims: the moment the figure describes. */
  asOf?: StatedAt;
}

export class ClaimStream {
  readonly events: RecordedClaimEvent[] = [];
  private nextPosition = 1000;

  constructor(
    readonly valueKind: ValueKind = 'boolean',
    readonly claimId = 'claim-1',
    unit?: string,
    varies = false,
  ) {
    this.append({
      type: 'ClaimOpened',
      data: {
        claimId,
        storyId: 'raqqa',
        proposition: { text: 'Foreign fighters are included in the deal', language: 'en' },
        valueKind,
        ...(unit !== undefined && { unit }),
        ...(varies && { varies: true as const }),
      },
    });
  }

  report(
    statementId: string,
    sourceId: string,
    stance: StatementFields['stance'],
    at: string,
    options: ReportOptions = {},
  ): this {
    return this.append({
      type: 'StatementReported',
      data: {
        claimId: this.claimId,
        statementId,
        sourceId,
        stance,
        ...(options.value !== undefined && { value: options.value }),
        quote: { text: options.quote ?? `quote of ${statementId}`, language: 'ar' },
        statedAt: { at, precision: options.precision ?? 'hour' },
        ...(options.asOf !== undefined && { asOf: options.asOf }),
        ...(options.via !== undefined && { via: options.via }),
        attribution: options.attribution ?? 'on-record',
        ...(options.basis !== undefined && { basis: options.basis }),
      },
    });
  }

  affirms(statementId: string, sourceId: string, at: string, value?: ClaimValue): this {
    return this.report(statementId, sourceId, 'affirms', at, value === undefined ? {} : { value });
  }

  denies(statementId: string, sourceId: string, at: string, value?: ClaimValue): this {
    return this.report(statementId, sourceId, 'denies', at, value === undefined ? {} : { value });
  }

  correct(statementId: string, changes: StatementChanges, reason = 'typed wrong'): this {
    return this.append({
      type: 'StatementCorrected',
      data: { claimId: this.claimId, statementId, changes, reason },
    });
  }

  retract(
    statementId: string,
    reason: RetractionReason = 'source-withdrew',
    note?: string,
    faultOf?: RetractionFault,
  ): this {
    return this.append({
      type: 'StatementRetracted',
      data: {
        claimId: this.claimId,
        statementId,
        reason,
        ...(faultOf !== undefined && { faultOf }),
        ...(note !== undefined && { note }),
      },
    });
  }

  reword(text: string, reason = 'clearer'): this {
    return this.append({
      type: 'ClaimReworded',
      data: { claimId: this.claimId, proposition: { text, language: 'en' }, reason },
    });
  }

  issue(verdictId: string, rating: VerdictRating, evidence: string[]): this {
    return this.append({
      type: 'VerdictIssued',
      data: { claimId: this.claimId, verdictId, rating, rationale: `because ${verdictId}`, evidence },
    });
  }

  withdraw(verdictId: string, reason = 'new evidence'): this {
    return this.append({ type: 'VerdictWithdrawn', data: { claimId: this.claimId, verdictId, reason } });
  }

  record(): ClaimRecord {
    return fold(this.events);
  }

  view(sources: SourceLookup = lookup(), options?: DeriveClaimViewOptions): ClaimView {
    return deriveClaimView(this.record(), sources, options);
  }

  /** The paged history, all of it, as GET /claims/{id}/statements lists it. */
  statements(options?: DeriveClaimViewOptions): StatementView[] {
    return statementViews(this.record(), options);
  }

  private append(event: RecordedClaimEvent['event']): this {
    const n = this.events.length;
    this.events.push({
      event,
      position: String(this.nextPosition),
      recordedAt: new Date(Date.UTC(2017, 9, 16, 0, n)).toISOString(),
      streamVersion: n,
    });
    this.nextPosition += 7;
    return this;
  }
}

export function fold(events: readonly RecordedClaimEvent[]): ClaimRecord {
  let record: ClaimRecord | undefined;
  for (const recorded of events) record = evolveClaimRecord(record, recorded);
  if (record === undefined) throw new Error('no events');
  return record;
}

export function source(sourceId: string, kind: SourceKind, affiliationId?: string): SourceRecord {
  return evolveSourceRecord(undefined, {
    type: 'SourceRegistered',
    data: {
      sourceId,
      name: `Name of ${sourceId}`,
      kind,
      ...(affiliationId !== undefined && { affiliationId }),
      protected: false,
    },
  });
}

export const person = (sourceId: string, affiliationId?: string): SourceRecord =>
  source(sourceId, 'person', affiliationId);
export const organization = (sourceId: string): SourceRecord => source(sourceId, 'organization');

export function lookup(...records: SourceRecord[]): SourceLookup {
  const byId = new Map(records.map((record) => [record.sourceId, record]));
  return (sourceId) => byId.get(sourceId);
}

/** The specs here freeze a pure function's input with it, so one that mutates its input fails. */
export { deepFreeze } from '../deep-freeze';

/** Paths of keys whose value is undefined (read models must never store them). */
export function undefinedKeys(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    child === undefined ? [`${path}.${key}`] : undefinedKeys(child, `${path}.${key}`),
  );
}
