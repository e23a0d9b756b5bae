import { applyDecorators, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig, RequirePermission } from '@app/platform';
import {
  GetClaimQuery,
  GetClaimReviewQuery,
  GetCurrentClaimJsonQuery,
  GetClaimTimelineQuery,
  ListClaimStatementsQuery,
  ListClaimsQuery,
  type ResolvedCut,
  type StatementPage,
} from '@app/projections';
import { jsonSchemaOf, ReadDoc } from '../http/openapi';
import { claimReadQuery, claimStatementsQuery, claimTimelineQuery, listClaimsQuery } from '../http/schemas';
import { ZodPipe } from '../http/zod-pipe';

@ApiTags('claims')
@Controller('claims')
export class ClaimsReadController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('read')
  @ReadDoc()
  @ApiQuery({ name: 'storyId', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'sourceId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query(new ZodPipe(listClaimsQuery, 'query')) query: z.output<typeof listClaimsQuery>) {
    const { limit, cursor, ...filter } = query;
    return this.queryBus.execute(new ListClaimsQuery(filter, limit, cursor));
  }

  @Get(':claimId')
  @RequirePermission('read')
  @ReadDoc()
  @ApiQuery({ name: 'asOf', required: false, description: 'recorded time: the state as the log stood then' })
  @ApiQuery({ name: 'asOfPosition', required: false, description: 'recorded position' })
  @ApiQuery({
    name: 'statedBefore',
    required: false,
    description: 'stated time: only statements said before',
  })
  async get(
    @Param('claimId') claimId: string,
    @Query(new ZodPipe(claimReadQuery, 'query')) query: z.output<typeof claimReadQuery>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (Object.values(query).every((value) => value === undefined)) {
      // The hot read: the stored view as it is, with the (empty) cut it answers for.
      const { body, streamVersion } = await this.queryBus.execute(new GetCurrentClaimJsonQuery(claimId));
      return this.answer(request, reply, etagOf(streamVersion, {}), body);
    }
    const cut = {
      ...query,
      asOfPosition: query.asOfPosition === undefined ? undefined : BigInt(query.asOfPosition),
    };
    const answer = await this.queryBus.execute(new GetClaimQuery(claimId, cut));
    return this.answer(request, reply, etagOf(answer.streamVersion, answer.cut), answer);
  }

  private answer(request: FastifyRequest, reply: FastifyReply, etag: string, body: unknown): void {
    void reply.header('etag', etag);
    // A client that holds this version is told so without the body.
    if (request.headers['if-none-match'] === etag) return void reply.status(304).send();
    if (Buffer.isBuffer(body)) void reply.type('application/json; charset=utf-8');
    void reply.status(200).send(body);
  }

  /**
   * The history, paged in report order (API.md): `{ items, nextCursor }`, each statement with its
   * current fields, the original when corrected, its corrections and retraction, live/superseded.
   */
  @Get(':claimId/statements')
  @RequirePermission('read')
  @ReadDoc()
  @QueryParamsDoc(claimStatementsQuery)
  statements(
    @Param('claimId') claimId: string,
    @Query(new ZodPipe(claimStatementsQuery, 'query')) query: z.output<typeof claimStatementsQuery>,
  ): Promise<StatementPage> {
    const { limit, cursor, ...filter } = query;
    return this.queryBus.execute(new ListClaimStatementsQuery(claimId, filter, limit, cursor));
  }

  /**
   * Every event of the claim with the status after it. Paged with `limit`/`cursor`; the body keeps
   * its shape (`{ claimId, entries }`, plus `nextCursor`), and the next page is also given as a
   * `Link: <…>; rel="next"` header and `X-Next-Cursor`, for clients that page by headers.
   */
  @Get(':claimId/timeline')
  @RequirePermission('read')
  @ReadDoc()
  @QueryParamsDoc(claimTimelineQuery)
  async timeline(
    @Param('claimId') claimId: string,
    @Query(new ZodPipe(claimTimelineQuery, 'query')) query: z.output<typeof claimTimelineQuery>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { entries, nextCursor } = await this.queryBus.execute(
      new GetClaimTimelineQuery(claimId, query.limit, query.cursor),
    );
    if (nextCursor !== null && query.limit !== undefined) {
      const next = `/claims/${encodeURIComponent(claimId)}/timeline?limit=${query.limit}&cursor=${nextCursor}`;
      void reply.header('link', `<${next}>; rel="next"`);
      void reply.header('x-next-cursor', nextCursor);
    }
    return { claimId, entries, nextCursor };
  }

  /** The active verdict as schema.org ClaimReview JSON-LD, ready to publish beside the story. */
  @Get(':claimId/claim-review')
  @RequirePermission('read')
  @ReadDoc()
  async claimReview(@Param('claimId') claimId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const review = await this.queryBus.execute(new GetClaimReviewQuery(claimId, this.config.publisher));
    void reply.header('content-type', 'application/ld+json; charset=utf-8');
    return review;
  }
}

/** Documents each query parameter from the zod schema that validates it, so they cannot drift. */
function QueryParamsDoc(schema: z.ZodType) {
  // Every parameter is optional (those with a default too), whatever the JSON schema says.
  const json = jsonSchemaOf(schema) as { properties?: Record<string, object> };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: false, schema: property }),
    ),
  );
}

/**
 * The current state's ETag is the stream version, as `If-Match` on writes expects. A cut read is a
 * different representation of the same version, so its tag is weak and names the cut.
 */
function etagOf(streamVersion: number, cut: ResolvedCut): string {
  const parts = [cut.asOfPosition, cut.statedBefore].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? `"${streamVersion}"` : `W/"${streamVersion};${parts.join(';')}"`;
}
