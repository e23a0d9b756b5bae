import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AmendSourceCommand, RegisterSourceCommand, ShredSourceIdentityCommand } from '@app/claims';
import { RequirePermission } from '@app/platform';
import { GetSourceQuery, GetSourceStatementsQuery, ListSourcesQuery } from '@app/projections';
import { ReadDoc, WriteDoc } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { amendSourceBody, listSourcesQuery, registerSourceBody, shredSourceBody } from '../http/schemas';
import { WriteEndpoint } from '../http/write-endpoint';
import { ZodPipe } from '../http/zod-pipe';

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(
    private readonly writes: WriteEndpoint,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @RequirePermission('write')
  @WriteDoc(registerSourceBody, 'Register a source')
  register(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Body(new ZodPipe(registerSourceBody)) body: z.output<typeof registerSourceBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new RegisterSourceCommand(body, context));
  }

  @Post(':sourceId/amendments')
  @RequirePermission('write')
  @WriteDoc(amendSourceBody, 'Amend a source (name, role, affiliation)')
  amend(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('sourceId') sourceId: string,
    @Body(new ZodPipe(amendSourceBody)) body: z.output<typeof amendSourceBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new AmendSourceCommand(sourceId, body, context));
  }

  /**
   * Destroys a protected source's identity key and records SourceIdentityShredded (who, why):
   * from then on no one can read who it was; its statements stay and still count as its voice.
   */
  @Post(':sourceId/shredding')
  @RequirePermission('sources:shred')
  @WriteDoc(shredSourceBody, "Shred a protected source's identity (admin)")
  shred(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('sourceId') sourceId: string,
    @Body(new ZodPipe(shredSourceBody)) body: z.output<typeof shredSourceBody>,
  ) {
    return this.writes.handle(
      request,
      reply,
      (context) => new ShredSourceIdentityCommand(sourceId, body, context),
    );
  }

  /** Find a source before reporting what it said: by name (Arabic or Latin, normalized) or kind. */
  @Get()
  @RequirePermission('read')
  @ReadDoc()
  @ApiQuery({ name: 'q', required: false, description: 'part of the name, normalized as claim texts are' })
  @ApiQuery({ name: 'kind', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query(new ZodPipe(listSourcesQuery, 'query')) query: z.output<typeof listSourcesQuery>) {
    const { limit, cursor, ...filter } = query;
    return this.queryBus.execute(new ListSourcesQuery(filter, limit, cursor));
  }

  @Get(':sourceId')
  @RequirePermission('read')
  @ReadDoc()
  get(@Param('sourceId') sourceId: string) {
    return this.queryBus.execute(new GetSourceQuery(sourceId));
  }

  @Get(':sourceId/statements')
  @RequirePermission('read')
  @ReadDoc()
  async statements(@Param('sourceId') sourceId: string) {
    return { items: await this.queryBus.execute(new GetSourceStatementsQuery(sourceId)) };
  }
}
