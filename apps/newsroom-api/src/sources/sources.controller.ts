import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AmendSourceCommand, RegisterSourceCommand } from '@app/claims';
import { RequirePermission } from '@app/platform';
import { GetSourceQuery, GetSourceStatementsQuery } from '@app/projections';
import { ReadDoc, WriteDoc } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { amendSourceBody, registerSourceBody } from '../http/schemas';
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
