import { Query } from '@nestjs/cqrs';
import type {
  ClaimReview,
  ClaimReviewPublisher,
  ClaimStatus,
  ClaimView,
  SourceKind,
  SourceRecord,
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

/** The current claim as stored JSON (the hot read: no parse, no re-serialization). */
export class GetCurrentClaimJsonQuery extends Query<{ json: string; streamVersion: number }> {
  constructor(readonly claimId: string) {
    super();
  }
}

export class GetClaimTimelineQuery extends Query<TimelineEntry[]> {
  constructor(readonly claimId: string) {
    super();
  }
}

/**
 * A claim in a list: its status and why (values, voices, conflicts with both sides' statements,
 * verdict), without the full statement history that GET /claims/{id} gives.
 */
export type ClaimSummary = Omit<ClaimView, 'statements' | 'positions'> & { statementCount: number };

export const toClaimSummary = ({ statements, positions: _positions, ...rest }: ClaimView): ClaimSummary => ({
  ...rest,
  statementCount: statements.length,
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
  statement: ClaimView['statements'][number];
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
