import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AmendSourceCommand, RegisterSourceCommand, ShredSourceIdentityCommand } from '@app/claims';
import { RequirePermission } from '@app/platform';
import {
  GetSourceQuery,
  GetSourceStatementsQuery,
  ListSourcesQuery,
  type SourceAnswer,
  type SourcePage,
  type SourceStatement,
} from '@app/projections';
import { QueryParamsDoc, ReadDoc, WriteDoc } from '../http/openapi';
import { source, sourcePage, sourceStatements } from '../http/responses/source.responses';
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
  @WriteDoc(registerSourceBody, {
    operationId: 'registerSource',
    creates: true,
    summary: 'Register a source',
    problems: [503],
  })
  register(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Body(new ZodPipe(registerSourceBody)) body: z.output<typeof registerSourceBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new RegisterSourceCommand(body, context));
  }

  @Post(':sourceId/amendments')
  @RequirePermission('write')
  @WriteDoc(amendSourceBody, {
    operationId: 'amendSource',
    summary: 'Amend a source (name, role, affiliation)',
  })
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
  @WriteDoc(shredSourceBody, {
    operationId: 'shredSourceIdentity',
    summary: "Shred a protected source's identity (admin): its key is destroyed",
    problems: [503],
  })
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
  @ReadDoc(
    { operationId: 'listSources', summary: 'Find sources by name (Arabic or Latin) or kind' },
    { description: 'A page of sources and the next cursor', schema: sourcePage },
    { problems: [400] },
  )
  @QueryParamsDoc(listSourcesQuery)
  list(
    @Query(new ZodPipe(listSourcesQuery, 'query')) query: z.output<typeof listSourcesQuery>,
  ): Promise<SourcePage> {
    const { limit, cursor, ...filter } = query;
    return this.queryBus.execute(new ListSourcesQuery(filter, limit, cursor));
  }

  @Get(':sourceId')
  @RequirePermission('read')
  @ReadDoc(
    { operationId: 'getSource', summary: 'Read a source, with the voice it speaks with' },
    { description: 'The source', schema: source },
    { problems: [404] },
  )
  get(@Param('sourceId') sourceId: string): Promise<SourceAnswer> {
    return this.queryBus.execute(new GetSourceQuery(sourceId));
  }

  @Get(':sourceId/statements')
  @RequirePermission('read')
  @ReadDoc(
    { operationId: 'listSourceStatements', summary: 'Every statement of a source, with its claim' },
    {
      description: "The source's statements, each with its claim and the claim's status",
      schema: sourceStatements,
    },
    { problems: [404] },
  )
  async statements(@Param('sourceId') sourceId: string): Promise<{ items: SourceStatement[] }> {
    return { items: await this.queryBus.execute(new GetSourceStatementsQuery(sourceId)) };
  }
}
