import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { RequirePermission } from '@app/platform';
import { ReadEventsQuery } from '@app/projections';
import { QueryParamsDoc, ReadDoc } from '../http/openapi';
import { type EventPageBody, eventPage } from '../http/responses/event.responses';
import { eventsQuery } from '../http/schemas';
import { ZodPipe } from '../http/zod-pipe';
import { eventToWire } from './event-wire';

/** The raw log, hashes included, for auditors: positions are decimal strings. */
@ApiTags('audit')
@Controller('events')
export class EventsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermission('audit')
  @ReadDoc(
    {
      operationId: 'listEvents',
      summary: 'The raw event log with its hashes, after a position (auditor, admin)',
    },
    { description: 'A page of events in log order, the head, and the next `after`', schema: eventPage },
    { problems: [400] },
  )
  @QueryParamsDoc(eventsQuery)
  async list(
    @Query(new ZodPipe(eventsQuery, 'query')) query: z.output<typeof eventsQuery>,
  ): Promise<EventPageBody> {
    const page = await this.queryBus.execute(new ReadEventsQuery(BigInt(query.after), query.limit));
    const last = page.events[page.events.length - 1];
    return {
      events: page.events.map(eventToWire),
      head: page.head.toString(),
      next: last && last.position < page.head ? last.position.toString() : null,
    };
  }
}
