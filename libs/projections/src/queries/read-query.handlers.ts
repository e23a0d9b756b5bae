import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  type ClaimReview,
  comparePositions,
  deriveClaimView,
  DomainError,
  toClaimReview,
  voiceOf,
} from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_MODELS } from '../projections.tokens';
import type { SqliteReadModels } from '../sqlite/sqlite-read-models';
import { type ClaimCut, isHistorical, type ResolvedCut } from './claim-cut';
import { HistoricalClaims } from './historical-claims';
import { decodeCursor, paged } from './page-cursor';
import {
  type ClaimAnswer,
  type ClaimPage,
  type EventPage,
  GetClaimQuery,
  GetClaimReviewQuery,
  GetCurrentClaimJsonQuery,
  GetClaimTimelineQuery,
  GetSourceQuery,
  GetSourceStatementsQuery,
  ListClaimsQuery,
  ListSourcesQuery,
  ReadEventsQuery,
  type SourceAnswer,
  type SourcePage,
  type SourceStatement,
  toClaimSummary,
} from './read-queries';

const claimNotFound = (claimId: string) => new DomainError('CLAIM_NOT_FOUND', `no claim ${claimId}`);
const sourceNotFound = (sourceId: string) => new DomainError('SOURCE_NOT_FOUND', `no source ${sourceId}`);

@QueryHandler(GetClaimQuery)
export class GetClaimHandler implements IQueryHandler<GetClaimQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: SqliteReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly history: HistoricalClaims,
  ) {}

  async execute({ claimId, cut }: GetClaimQuery): Promise<ClaimAnswer> {
    if (isHistorical(cut)) {
      const position = await this.resolve(cut);
      const view = await this.history.at(claimId, position, cut.statedBefore);
      return { ...view, cut: this.answered(cut, position) };
    }
    if (cut.statedBefore === undefined) {
      const view = this.readModels.claimView(claimId);
      if (!view) throw claimNotFound(claimId);
      return { ...view, cut: {} };
    }
    const record = this.readModels.claim(claimId);
    if (!record) throw claimNotFound(claimId);
    const view = deriveClaimView(record, (id) => this.readModels.source(id), {
      statedBefore: cut.statedBefore,
    });
    return { ...view, cut: { statedBefore: cut.statedBefore } };
  }

  /** asOf and asOfPosition together: the earlier of the two, so neither cut is overstepped. */
  private async resolve(cut: ClaimCut): Promise<bigint> {
    const candidates: bigint[] = [];
    if (cut.asOfPosition !== undefined) candidates.push(cut.asOfPosition);
    if (cut.asOf !== undefined) candidates.push(await this.store.positionAt(cut.asOf));
    return candidates.reduce((a, b) => (a < b ? a : b));
  }

  private answered(cut: ClaimCut, position: bigint): ResolvedCut {
    return {
      ...(cut.asOf === undefined ? {} : { asOf: cut.asOf }),
      asOfPosition: position.toString(),
      ...(cut.statedBefore === undefined ? {} : { statedBefore: cut.statedBefore }),
    };
  }
}

@QueryHandler(GetCurrentClaimJsonQuery)
export class GetCurrentClaimJsonHandler implements IQueryHandler<GetCurrentClaimJsonQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ claimId }: GetCurrentClaimJsonQuery) {
    const row = this.readModels.claimViewJson(claimId);
    if (!row) throw claimNotFound(claimId);
    return Promise.resolve(row);
  }
}

@QueryHandler(GetClaimTimelineQuery)
export class GetClaimTimelineHandler implements IQueryHandler<GetClaimTimelineQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ claimId }: GetClaimTimelineQuery) {
    const entries = this.readModels.timeline(claimId);
    if (entries.length === 0) throw claimNotFound(claimId);
    return Promise.resolve(entries);
  }
}

/** Claims page by opening position; sources by id. */
const CLAIM_CURSOR = { kind: 'o', key: /^\d{1,20}$/ };
const SOURCE_CURSOR = { kind: 's', key: /^[^]{1,200}$/ };

@QueryHandler(ListClaimsQuery)
export class ListClaimsHandler implements IQueryHandler<ListClaimsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ filter, limit, cursor }: ListClaimsQuery): Promise<ClaimPage> {
    const afterOpened =
      cursor === undefined ? undefined : BigInt(decodeCursor(CLAIM_CURSOR.kind, cursor, CLAIM_CURSOR.key));
    const rows = this.readModels.listClaims({ ...filter, afterOpened, limit: limit + 1 });
    const { page, nextCursor } = paged(rows, limit, CLAIM_CURSOR.kind, (r) => r.openedPosition.toString());
    return Promise.resolve({ items: page.map((r) => toClaimSummary(r.view)), nextCursor });
  }
}

@QueryHandler(ListSourcesQuery)
export class ListSourcesHandler implements IQueryHandler<ListSourcesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ filter, limit, cursor }: ListSourcesQuery): Promise<SourcePage> {
    const afterId =
      cursor === undefined ? undefined : decodeCursor(SOURCE_CURSOR.kind, cursor, SOURCE_CURSOR.key);
    const rows = this.readModels.listSources({ ...filter, afterId, limit: limit + 1 });
    const { page, nextCursor } = paged(rows, limit, SOURCE_CURSOR.kind, (source) => source.sourceId);
    return Promise.resolve({
      items: page.map((source) => ({ ...source, voice: voiceOf(source) })),
      nextCursor,
    });
  }
}

@QueryHandler(GetSourceQuery)
export class GetSourceHandler implements IQueryHandler<GetSourceQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ sourceId }: GetSourceQuery): Promise<SourceAnswer> {
    const source = this.readModels.source(sourceId);
    if (!source) throw sourceNotFound(sourceId);
    return Promise.resolve({ ...source, voice: voiceOf(source) });
  }
}

@QueryHandler(GetSourceStatementsQuery)
export class GetSourceStatementsHandler implements IQueryHandler<GetSourceStatementsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ sourceId }: GetSourceStatementsQuery): Promise<SourceStatement[]> {
    if (!this.readModels.source(sourceId)) throw sourceNotFound(sourceId);
    const out: SourceStatement[] = [];
    for (const claimId of this.readModels.claimsWithSources([sourceId])) {
      const view = this.readModels.claimView(claimId);
      if (!view) continue;
      for (const statement of view.statements) {
        if (statement.sourceId !== sourceId) continue;
        out.push({ claimId, proposition: view.proposition, claimStatus: view.status, statement });
      }
    }
    // As the source said them: by stated time, then in the order we recorded them.
    out.sort(
      (a, b) =>
        Date.parse(a.statement.statedAt.at) - Date.parse(b.statement.statedAt.at) ||
        comparePositions(a.statement.reportedPosition, b.statement.reportedPosition),
    );
    return Promise.resolve(out);
  }
}

@QueryHandler(ReadEventsQuery)
export class ReadEventsHandler implements IQueryHandler<ReadEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit }: ReadEventsQuery): Promise<EventPage> {
    const [events, head] = await Promise.all([
      this.store.readAll({ after, limit }),
      this.store.headPosition(),
    ]);
    return { events, head };
  }
}

@QueryHandler(GetClaimReviewQuery)
export class GetClaimReviewHandler implements IQueryHandler<GetClaimReviewQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: SqliteReadModels) {}

  execute({ claimId, publisher }: GetClaimReviewQuery): Promise<ClaimReview> {
    const view = this.readModels.claimView(claimId);
    if (!view) throw claimNotFound(claimId);
    // A protected source is never named in public, whatever the statement's attribution.
    const publicName = (sourceId: string) => {
      const source = this.readModels.source(sourceId);
      return source && !source.protected ? source.name : undefined;
    };
    const review = toClaimReview(view, publisher, publicName);
    if (!review)
      throw new DomainError('VERDICT_NOT_FOUND', `claim ${claimId} has no active verdict to publish`);
    return Promise.resolve(review);
  }
}
