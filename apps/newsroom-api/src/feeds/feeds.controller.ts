import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { DomainError } from '@app/claims';
import { RequirePermission } from '@app/platform';
import { QueryParamsDoc, ReadDoc } from '../http/openapi';
import { ZodPipe } from '../http/zod-pipe';
import { ReadModelClaimStories } from './claim-stories';
import { FeedHub } from './feed-hub';
import { eventsStreamQuery, feedQuery, resumePosition } from './feed-query';

const POSITION = { type: 'string' as const, pattern: '^\\d{1,19}$' };
const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  required: false,
  schema: POSITION,
  description: 'resume after this position (an EventSource sends it on reconnect); wins over ?after=',
};
const FORMAT =
  'Server-Sent Events: `id: <position>`, `event: <event type>`, `data: <the event as GET /events serves it>`; `: heartbeat` comments; a first `feed-open` message whose id is the position the feed starts after, and a last `feed-closed` message with the reason when the server ends the feed.';

/** The 200 of every feed: a stream that does not end until the client or the server ends it. */
const STREAM = {
  description: 'an event stream (text/event-stream), open until either side ends it',
  content: { 'text/event-stream': { schema: { type: 'string' as const } } },
};
/** 400: a bad query or Last-Event-ID; 503 FEEDS_BUSY: this process has SSE_MAX_CLIENTS feeds open. */
const FEED_PROBLEMS = { problems: [400, 503] };

/**
 * Live feeds of the log as Server-Sent Events (docs/decisions/0014). The same guard and
 * permissions as the JSON routes: `GET /events` needs audit, claim and story reads need read.
 */
@ApiTags('feeds')
@Controller()
export class FeedsController {
  constructor(
    private readonly hub: FeedHub,
    private readonly stories: ReadModelClaimStories,
  ) {}

  @Get('events/stream')
  @RequirePermission('audit')
  @ReadDoc(
    {
      operationId: 'followEvents',
      summary: 'Follow the log (optionally one stream type, story or claim)',
      description: FORMAT,
    },
    STREAM,
    FEED_PROBLEMS,
  )
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @QueryParamsDoc(eventsStreamQuery)
  async events(
    @Query(new ZodPipe(eventsStreamQuery, 'query')) query: z.output<typeof eventsStreamQuery>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { after, ...filter } = query;
    await this.hub.open(reply, filter, resumePosition(lastEventId, after));
  }

  @Get('claims/:claimId/stream')
  @RequirePermission('read')
  @ReadDoc(
    { operationId: 'followClaim', summary: "Follow one claim's events", description: FORMAT },
    STREAM,
    { problems: [...FEED_PROBLEMS.problems, 404] },
  )
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @QueryParamsDoc(feedQuery)
  async claim(
    @Param('claimId') claimId: string,
    @Query(new ZodPipe(feedQuery, 'query')) query: z.output<typeof feedQuery>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = resumePosition(lastEventId, query.after);
    if (!(await this.stories.exists(claimId)))
      throw new DomainError('CLAIM_NOT_FOUND', `no claim ${claimId}`);
    await this.hub.open(reply, { claimId }, after);
  }

  @Get('stories/:storyId/stream')
  @RequirePermission('read')
  @ReadDoc(
    { operationId: 'followStory', summary: "Follow the events of a story's claims", description: FORMAT },
    STREAM,
    FEED_PROBLEMS,
  )
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @QueryParamsDoc(feedQuery)
  async story(
    @Param('storyId') storyId: string,
    @Query(new ZodPipe(feedQuery, 'query')) query: z.output<typeof feedQuery>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.hub.open(reply, { storyId }, resumePosition(lastEventId, query.after));
  }
}
