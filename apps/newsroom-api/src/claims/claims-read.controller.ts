import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
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
  type ClaimPage,
  type ResolvedCut,
  type StatementPage,
} from '@app/projections';
import { HEADERS, QueryParamsDoc, ReadDoc } from '../http/openapi';
import { VIEW_DIGEST_HEX } from '../http/request-context';
import { claimAnswer, claimPage } from '../http/responses/claim.responses';
import { claimReview } from '../http/responses/claim-review.responses';
import { statementPage, timelinePage } from '../http/responses/statement.responses';
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
  @ReadDoc(
    { operationId: 'listClaims', summary: 'List claims: a page of summaries, by story, status or source' },
    { description: 'A page of claim summaries and the next cursor', schema: claimPage },
    { problems: [400] },
  )
  @QueryParamsDoc(listClaimsQuery)
  list(
    @Query(new ZodPipe(listClaimsQuery, 'query')) query: z.output<typeof listClaimsQuery>,
  ): Promise<ClaimPage> {
    const { limit, cursor, ...filter } = query;
    return this.queryBus.execute(new ListClaimsQuery(filter, limit, cursor));
  }

  @Get(':claimId')
  @RequirePermission('read')
  @ReadDoc(
    {
      operationId: 'getClaim',
      summary: 'Read a claim: its status and why, now or as of a cut',
      description:
        'Bounded: status, agreed value, one position per source, voices, values, conflicts between sides, verdict, counts and links to the paged history. `asOf`/`asOfPosition` (recorded time) and `statedBefore` (stated time) answer for a past cut, named in `cut`.',
    },
    {
      description: 'The claim, with the cut it answers for',
      schema: claimAnswer,
      headers: { ETag: HEADERS.etag },
    },
    {
      answers: [
        {
          status: 304,
          description: '`If-None-Match` named the current ETag: you hold this version',
          headers: { ETag: HEADERS.etag },
        },
      ],
      problems: [400, 404],
    },
  )
  @QueryParamsDoc(claimReadQuery)
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag you hold: answered 304 without a body while it is current',
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
      return this.answer(request, reply, etagOf(streamVersion, {}, body), body);
    }
    const cut = {
      ...query,
      asOfPosition: query.asOfPosition === undefined ? undefined : BigInt(query.asOfPosition),
    };
    const answer = await this.queryBus.execute(new GetClaimQuery(claimId, cut));
    const body = serializedOnce(reply.status(200), answer);
    return this.answer(request, reply, etagOf(answer.streamVersion, answer.cut, body), body);
  }

  private answer(request: FastifyRequest, reply: FastifyReply, etag: string, body: Buffer): void {
    void reply.header('etag', etag);
    // A client that holds this version is told so without the body.
    if (request.headers['if-none-match'] === etag) return void reply.status(304).send();
    void reply.type('application/json; charset=utf-8').status(200).send(body);
  }

  /**
   * The history, paged in report order (API.md): `{ items, nextCursor }`, each statement with its
   * current fields, the original when corrected, its corrections and retraction, live/superseded.
   */
  @Get(':claimId/statements')
  @RequirePermission('read')
  @ReadDoc(
    {
      operationId: 'listClaimStatements',
      summary: "Page through a claim's statements (its history), filtered",
    },
    { description: 'A page of statements in report order and the next cursor', schema: statementPage },
    { problems: [400, 404] },
  )
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
  @ReadDoc(
    {
      operationId: 'getClaimTimeline',
      summary: 'Every event of a claim, with the status after it',
    },
    {
      description: 'The entries in log order; with `limit`, one page and the next cursor',
      schema: timelinePage,
      headers: { Link: HEADERS.link, 'X-Next-Cursor': HEADERS.nextCursor },
    },
    { problems: [400, 404] },
  )
  @QueryParamsDoc(claimTimelineQuery)
  async timeline(
    @Param('claimId') claimId: string,
    @Query(new ZodPipe(claimTimelineQuery, 'query')) query: z.output<typeof claimTimelineQuery>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.output<typeof timelinePage>> {
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
  @ReadDoc(
    {
      operationId: 'getClaimReview',
      summary: "The desk's active verdict as schema.org ClaimReview (JSON-LD)",
      description:
        'Sources on background, anonymous or protected are never named in it. 404 when the claim has no active verdict.',
      mediaType: 'application/ld+json',
    },
    { description: 'ClaimReview JSON-LD', schema: claimReview },
    { problems: [404] },
  )
  async claimReview(@Param('claimId') claimId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const review = await this.queryBus.execute(new GetClaimReviewQuery(claimId, this.config.publisher));
    void reply.header('content-type', 'application/ld+json; charset=utf-8');
    return review;
  }
}

/**
 * The answer as the route's response schema writes it (what Fastify's send would), as UTF-8 bytes
 * (what installUtf8Payloads would send): the body, and what its ETag's digest is taken of. The
 * ETag once hashed `JSON.stringify(answer)`, a second serialisation in another key order.
 */
function serializedOnce(reply: FastifyReply, answer: unknown): Buffer {
  const text = reply.serialize(answer);
  if (typeof text !== 'string') throw new Error('the claim read serializer wrote no text');
  return Buffer.from(text);
}

/**
 * The current state's ETag is the stream version, as `If-Match` on writes expects, then a digest of
 * the body's bytes: a claim's view also changes with other streams' events (a source renamed, or
 * affiliated elsewhere, which can move its statements to another voice and change the status)
 * while its version stays, and a 304 must never stand for a view that changed. `If-Match` reads
 * the version and ignores the digest. A cut read is a different representation of the same
 * version, so its tag is weak and names the cut. The digest is of exactly the bytes sent (before
 * IdentityReveal, whose answers no cache keeps), so it changes whenever the body does.
 */
function etagOf(streamVersion: number, cut: ResolvedCut, body: Buffer): string {
  const digest = createHash('sha1').update(body).digest('hex').slice(0, VIEW_DIGEST_HEX);
  const parts = [cut.asOfPosition, cut.statedBefore].filter((p): p is string => p !== undefined);
  return parts.length === 0
    ? `"${streamVersion}.${digest}"`
    : `W/"${streamVersion};${parts.join(';')};${digest}"`;
}
