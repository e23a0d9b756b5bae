import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  claimRecordFrom,
  type ClaimReview,
  comparePositions,
  deriveClaimView,
  DomainError,
  statementView,
  type StatementView,
  relayOriginLoaded,
  toClaimReview,
  voiceOfLoaded,
} from '@app/claims';
import type { SourceRecord, StatementRecord } from '@app/claims';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_MODELS } from '../projections.tokens';
import type { ReadModelQueries } from './read-model-queries';
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

export const claimNotFound = (claimId: string) => new DomainError('CLAIM_NOT_FOUND', `no claim ${claimId}`);
const sourceNotFound = (sourceId: string) => new DomainError('SOURCE_NOT_FOUND', `no source ${sourceId}`);

@QueryHandler(GetClaimQuery)
export class GetClaimHandler implements IQueryHandler<GetClaimQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
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
      const view = await this.readModels.claimView(claimId);
      if (!view) throw claimNotFound(claimId);
      return { ...view, cut: {} };
    }
    // Every statement said before the cut matters: the from-scratch derivation over the rows.
    const state = await this.readModels.claim(claimId);
    if (!state) throw claimNotFound(claimId);
    const record = claimRecordFrom(state, await this.readModels.statementsOfClaim(claimId));
    const sources = new Map<string, SourceRecord | undefined>();
    // Each source and the whole chain of affiliations above it: a voice is the top of the chain.
    for (const { sourceId } of record.statements) {
      let next: string | undefined = sourceId;
      while (next !== undefined && !sources.has(next)) {
        const source = await this.readModels.source(next);
        sources.set(next, source);
        next = source?.affiliationId;
      }
    }
    const view = deriveClaimView(record, (id) => sources.get(id), { statedBefore: cut.statedBefore });
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
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ claimId }: GetCurrentClaimJsonQuery) {
    const row = await this.readModels.claimViewUtf8(claimId);
    if (!row) throw claimNotFound(claimId);
    return { body: withEmptyCut(row.utf8), streamVersion: row.streamVersion };
  }
}

const EMPTY_CUT = Buffer.from(',"cut":{}}');

/** `{...view}` as `{...view,"cut":{}}`: the view's closing brace replaced, bytes copied once. */
export function withEmptyCut(view: Buffer): Buffer {
  if (view[view.length - 1] !== 0x7d) throw new Error('a stored claim view is not a JSON object');
  return Buffer.concat([view.subarray(0, -1), EMPTY_CUT]);
}

/** Claims page by opening position; sources by id. */
const CLAIM_CURSOR = { kind: 'o', key: /^\d{1,20}$/ };
const SOURCE_CURSOR = { kind: 's', key: /^[^]{1,200}$/ };

@QueryHandler(ListClaimsQuery)
export class ListClaimsHandler implements IQueryHandler<ListClaimsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ filter, limit, cursor }: ListClaimsQuery): Promise<ClaimPage> {
    const afterOpened =
      cursor === undefined ? undefined : BigInt(decodeCursor(CLAIM_CURSOR.kind, cursor, CLAIM_CURSOR.key));
    const rows = await this.readModels.listClaims({ ...filter, afterOpened, limit: limit + 1 });
    const { page, nextCursor } = paged(rows, limit, CLAIM_CURSOR.kind, (r) => r.openedPosition.toString());
    return { items: page.map((r) => toClaimSummary(r.view)), nextCursor };
  }
}

@QueryHandler(ListSourcesQuery)
export class ListSourcesHandler implements IQueryHandler<ListSourcesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ filter, limit, cursor }: ListSourcesQuery): Promise<SourcePage> {
    const afterId =
      cursor === undefined ? undefined : decodeCursor(SOURCE_CURSOR.kind, cursor, SOURCE_CURSOR.key);
    const rows = await this.readModels.listSources({ ...filter, afterId, limit: limit + 1 });
    const { page, nextCursor } = paged(rows, limit, SOURCE_CURSOR.kind, (source) => source.sourceId);
    const load = (id: string) => this.readModels.source(id);
    const items = await Promise.all(
      page.map(async (source) => ({ ...source, voice: await voiceOfLoaded(source, load) })),
    );
    return { items, nextCursor };
  }
}

@QueryHandler(GetSourceQuery)
export class GetSourceHandler implements IQueryHandler<GetSourceQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ sourceId }: GetSourceQuery): Promise<SourceAnswer> {
    const source = await this.readModels.source(sourceId);
    if (!source) throw sourceNotFound(sourceId);
    return { ...source, voice: await voiceOfLoaded(source, (id) => this.readModels.source(id)) };
  }
}

@QueryHandler(GetSourceStatementsQuery)
export class GetSourceStatementsHandler implements IQueryHandler<GetSourceStatementsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ sourceId }: GetSourceStatementsQuery): Promise<SourceStatement[]> {
    if (!(await this.readModels.source(sourceId))) throw sourceNotFound(sourceId);
    const out: SourceStatement[] = [];
    const byClaim = new Map<string, StatementRecord[]>();
    for (const { claimId, statement } of await this.readModels.statementsBySource(sourceId))
      byClaim.set(claimId, [...(byClaim.get(claimId) ?? []), statement]);
    for (const [claimId, statements] of byClaim) {
      const [state, view] = [await this.readModels.claim(claimId), await this.readModels.claimView(claimId)];
      if (!state || !view) continue;
      // A merged claim's statements are listed once, under the claim that took them (decision
      // 0020); until it has (a merge interrupted between its two appends) they stay here.
      if (view.mergedInto !== null && (await this.absorbedBy(view.mergedInto, claimId))) continue;
      const position = state.positions.find((p) => p.sourceId === sourceId)?.statementId;
      for (const record of statements) {
        const statement = statementView(record, record.statementId === position);
        out.push({ claimId, proposition: view.proposition, claimStatus: view.status, statement });
      }
    }
    // As the source said them: by stated time, then in the order we recorded them.
    out.sort(
      (a, b) =>
        Date.parse(a.statement.statedAt.at) - Date.parse(b.statement.statedAt.at) ||
        comparePositions(a.statement.reportedPosition, b.statement.reportedPosition),
    );
    return out;
  }

  private async absorbedBy(survivorId: string, mergedId: string): Promise<boolean> {
    return (await this.readModels.claimView(survivorId))?.merged.includes(mergedId) === true;
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
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async execute({ claimId, publisher }: GetClaimReviewQuery): Promise<ClaimReview> {
    const view = await this.readModels.claimView(claimId);
    const state = await this.readModels.claim(claimId);
    if (!view || !state) throw claimNotFound(claimId);
    // The bounded view, and only the statements the verdict cites, read by id.
    const evidence: StatementView[] = [];
    const names = new Map<string, string | undefined>();
    const origins = new Map<string, string>();
    const name = async (sourceId: string) => {
      // A protected source is never named in public, whatever the statement's attribution.
      const source = await this.readModels.source(sourceId);
      names.set(sourceId, source && !source.protected ? source.name : undefined);
    };
    for (const statementId of view.verdict?.evidence ?? []) {
      const record = await this.readModels.statement(claimId, statementId);
      if (!record) continue;
      const isPosition = state.positions.some((p) => p.statementId === statementId);
      evidence.push(statementView(record, isPosition));
      await name(record.sourceId);
      const origin = await relayOriginLoaded(record, (id) => this.readModels.statement(claimId, id));
      if (origin !== undefined) {
        origins.set(statementId, origin);
        await name(origin);
      }
    }
    const review = toClaimReview(
      view,
      evidence,
      publisher,
      (sourceId) => names.get(sourceId),
      (statementId) => origins.get(statementId),
    );
    if (!review)
      throw new DomainError('VERDICT_NOT_FOUND', `claim ${claimId} has no active verdict to publish`);
    return review;
  }
}
