import { Query } from '@nestjs/cqrs';
import type {
  ClaimReview,
  ClaimReviewPublisher,
  ClaimStatus,
  ClaimView,
  SourceKind,
  SourceRecord,
  Stance,
  StatementView,
  TimelineEntry,
} from '@app/claims';
import type { StoredEvent } from '@app/event-store';
import type { ClaimCut, ResolvedCut } from './claim-cut';

export type ClaimAnswer = ClaimView & { cut: ResolvedCut };

export class GetClaimQuery extends Query<ClaimAnswer> {
  constructor(
    readonly claimId: string,
    readonly cut: ClaimCut = {},
  ) {
    super();
  }
}

/**
 * The current claim as the answer's bytes: the stored view's UTF-8 with its (empty) cut, never
 * parsed, serialized or taken through a JS string (the hot read).
 */
export class GetCurrentClaimJsonQuery extends Query<{ body: Buffer; streamVersion: number }> {
  constructor(readonly claimId: string) {
    super();
  }
}

export interface TimelinePage {
  entries: TimelineEntry[];
  nextCursor: string | null;
}

/** Without a limit, the whole timeline (as before paging existed). */
export class GetClaimTimelineQuery extends Query<TimelinePage> {
  constructor(
    readonly claimId: string,
    readonly limit?: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

export type StatementStateFilter = 'live' | 'superseded' | 'retracted';

export interface StatementListFilter {
  voice?: string;
  sourceId?: string;
  stance?: Stance;
  state?: StatementStateFilter;
  /** Inclusive, ISO 8601. */
  statedAfter?: string;
  /** Exclusive, ISO 8601. */
  statedBefore?: string;
}

export interface StatementPage {
  items: StatementView[];
  nextCursor: string | null;
}

/** GET /claims/{id}/statements: the history, paged in report order. */
export class ListClaimStatementsQuery extends Query<StatementPage> {
  constructor(
    readonly claimId: string,
    readonly filter: StatementListFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

/**
 * A claim in a list: its status and why (values, voices, conflicts between sides, verdict),
 * without the positions that GET /claims/{id} gives; the history is paged separately.
 */
export type ClaimSummary = Omit<ClaimView, 'positions'> & { statementCount: number };

export const toClaimSummary = ({ positions: _positions, ...rest }: ClaimView): ClaimSummary => ({
  ...rest,
  statementCount: rest.statementCounts.total,
});

export interface ClaimPage {
  items: ClaimSummary[];
  nextCursor: string | null;
}

export class ListClaimsQuery extends Query<ClaimPage> {
  constructor(
    readonly filter: { storyId?: string; status?: ClaimStatus; sourceId?: string },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

export type SourceAnswer = SourceRecord & { voice: string };

export interface SourcePage {
  items: SourceAnswer[];
  nextCursor: string | null;
}

export class ListSourcesQuery extends Query<SourcePage> {
  constructor(
    readonly filter: { q?: string; kind?: SourceKind },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

export class GetSourceQuery extends Query<SourceAnswer> {
  constructor(readonly sourceId: string) {
    super();
  }
}

export interface SourceStatement {
  claimId: string;
  proposition: ClaimView['proposition'];
  claimStatus: ClaimStatus;
  statement: StatementView;
}

export class GetSourceStatementsQuery extends Query<SourceStatement[]> {
  constructor(readonly sourceId: string) {
    super();
  }
}

export interface EventPage {
  events: StoredEvent[];
  head: bigint;
}

export class ReadEventsQuery extends Query<EventPage> {
  constructor(
    readonly after: bigint,
    readonly limit: number,
  ) {
    super();
  }
}

/** The active verdict as schema.org ClaimReview; 404 when the claim has none. */
export class GetClaimReviewQuery extends Query<ClaimReview> {
  constructor(
    readonly claimId: string,
    readonly publisher: ClaimReviewPublisher,
  ) {
    super();
  }
}
