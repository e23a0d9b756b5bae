import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { DomainError } from '@app/claims';
import { RequirePermission } from '@app/platform';
import { ReadDoc } from '../http/openapi';
import { ZodPipe } from '../http/zod-pipe';
import { ReadModelClaimStories } from './claim-stories';
import { FeedHub } from './feed-hub';
import { eventsStreamQuery, feedQuery, resumePosition } from './feed-query';

const POSITION = { type: 'string' as const, pattern: '^\\d{1,20}$' };
const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  required: false,
  schema: POSITION,
  description: 'resume after this position (an EventSource sends it on reconnect); wins over ?after=',
};
const AFTER = {
  name: 'after',
  required: false,
  schema: POSITION,
  description: 'resume after this position; without it (and Last-Event-ID), from the head',
};
const FORMAT =
  'Server-Sent Events: `id: <position>`, `event: <event type>`, `data: <the event as GET /events serves it>`; `: heartbeat` comments; a first `feed-open` message whose id is the position the feed starts after, and a last `feed-closed` message with the reason when the server ends the feed.';

/** The 200 of every feed: a stream that does not end until the client or the server ends it. */
const STREAM = {
  status: 200,
  description: 'an event stream (text/event-stream), open until either side ends it',
  content: { 'text/event-stream': { schema: { type: 'string' as const } } },
};
const BUSY = { status: 503, description: 'FEEDS_BUSY: this process has SSE_MAX_CLIENTS feeds open' };

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
  @ReadDoc()
  @ApiOperation({
    summary: 'Follow the log (optionally one stream type, story or claim)',
    description: FORMAT,
  })
  @ApiProduces('text/event-stream')
  @ApiResponse(STREAM)
  @ApiResponse(BUSY)
  @ApiHeader(LAST_EVENT_ID)
  @ApiQuery(AFTER)
  @ApiQuery({
    name: 'streamType',
    required: false,
    description: 'e.g. claim or source',
    schema: { type: 'string', pattern: '^[a-z][a-z0-9]{0,39}$' },
  })
  @ApiQuery({ name: 'storyId', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 } })
  @ApiQuery({ name: 'claimId', required: false, schema: { type: 'string', format: 'uuid' } })
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
  @ReadDoc()
  @ApiOperation({ summary: "Follow one claim's events", description: FORMAT })
  @ApiProduces('text/event-stream')
  @ApiResponse(STREAM)
  @ApiResponse(BUSY)
  @ApiHeader(LAST_EVENT_ID)
  @ApiQuery(AFTER)
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
  @ReadDoc()
  @ApiOperation({ summary: "Follow the events of a story's claims", description: FORMAT })
  @ApiProduces('text/event-stream')
  @ApiResponse(STREAM)
  @ApiResponse(BUSY)
  @ApiHeader(LAST_EVENT_ID)
  @ApiQuery(AFTER)
  async story(
    @Param('storyId') storyId: string,
    @Query(new ZodPipe(feedQuery, 'query')) query: z.output<typeof feedQuery>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.hub.open(reply, { storyId }, resumePosition(lastEventId, query.after));
  }
}
