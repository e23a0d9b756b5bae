import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { statementView, voiceOfLoaded } from '@app/claims';
import { READ_MODELS } from '../projections.tokens';
import { ClaimTimeline } from './claim-timeline';
import type { ReadModelQueries } from './read-model-queries';
import { decodeCursor, paged } from './page-cursor';
import { claimNotFound } from './read-query.handlers';
import {
  GetClaimTimelineQuery,
  ListClaimStatementsQuery,
  type StatementListFilter,
  type StatementPage,
  type TimelinePage,
} from './read-queries';

/** Statements page by report position, timelines by event position: both stable under corrections. */
const STATEMENT_CURSOR = { kind: 'st', key: /^\d{1,20}$/ };
const TIMELINE_CURSOR = { kind: 'tl', key: /^\d{1,20}$/ };

const afterOf = (cursor: string | undefined, { kind, key }: { kind: string; key: RegExp }): bigint =>
  cursor === undefined ? 0n : BigInt(decodeCursor(kind, cursor, key));

@QueryHandler(ListClaimStatementsQuery)
export class ListClaimStatementsHandler implements IQueryHandler<ListClaimStatementsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ claimId, filter, limit, cursor }: ListClaimStatementsQuery): Promise<StatementPage> {
    const state = await this.readModels.claim(claimId);
    if (!state) throw claimNotFound(claimId);
    const positionIds = state.positions.map((p) => p.statementId);
    const rows = await this.readModels.statementsPage(claimId, {
      ...(await this.sourcesOf(claimId, filter)),
      ...(filter.stance !== undefined && { stance: filter.stance }),
      ...(filter.state !== undefined && { state: filter.state, positionIds }),
      ...(filter.statedAfter !== undefined && { statedAfterMs: Date.parse(filter.statedAfter) }),
      ...(filter.statedBefore !== undefined && { statedBeforeMs: Date.parse(filter.statedBefore) }),
      afterPosition: afterOf(cursor, STATEMENT_CURSOR),
      limit: limit + 1,
    });
    const { page, nextCursor } = paged(rows, limit, STATEMENT_CURSOR.kind, (s) => s.reportedPosition);
    return {
      items: page.map((s) => statementView(s, positionIds.includes(s.statementId))),
      nextCursor,
    };
  }

  /** `voice` is resolved with today's affiliations into the sources that speak with it. */
  private async sourcesOf(claimId: string, filter: StatementListFilter): Promise<{ sourceIds?: string[] }> {
    if (filter.voice === undefined)
      return filter.sourceId === undefined ? {} : { sourceIds: [filter.sourceId] };
    const members: string[] = [];
    for (const sourceId of await this.readModels.claimSourceIds(claimId)) {
      const source = await this.readModels.source(sourceId);
      const voice =
        source === undefined ? sourceId : await voiceOfLoaded(source, (id) => this.readModels.source(id));
      if (voice === filter.voice) members.push(sourceId);
    }
    return {
      sourceIds: filter.sourceId === undefined ? members : members.filter((id) => id === filter.sourceId),
    };
  }
}

@QueryHandler(GetClaimTimelineQuery)
export class GetClaimTimelineHandler implements IQueryHandler<GetClaimTimelineQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    private readonly timeline: ClaimTimeline,
  ) {}

  async execute({ claimId, limit, cursor }: GetClaimTimelineQuery): Promise<TimelinePage> {
    const after = afterOf(cursor, TIMELINE_CURSOR);
    const rows = await this.timeline.page(claimId, after, limit === undefined ? undefined : limit + 1);
    // Every claim's timeline starts with its opening: an empty first page means no such claim.
    if (rows.length === 0 && (after === 0n || !(await this.readModels.claimViewJson(claimId))))
      throw claimNotFound(claimId);
    if (limit === undefined) return { entries: rows, nextCursor: null };
    const { page, nextCursor } = paged(rows, limit, TIMELINE_CURSOR.kind, (e) => e.position);
    return { entries: page, nextCursor };
  }
}
