import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { RequirePermission } from '@app/platform';
import { ReadEventsQuery } from '@app/projections';
import { ReadDoc } from '../http/openapi';
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
  @ReadDoc()
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query(new ZodPipe(eventsQuery, 'query')) query: z.output<typeof eventsQuery>) {
    const page = await this.queryBus.execute(new ReadEventsQuery(BigInt(query.after), query.limit));
    const last = page.events[page.events.length - 1];
    return {
      events: page.events.map(eventToWire),
      head: page.head.toString(),
      next: last && last.position < page.head ? last.position.toString() : null,
    };
  }
}
