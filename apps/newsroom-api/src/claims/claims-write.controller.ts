import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  CorrectStatementCommand,
  IssueVerdictCommand,
  MergeClaimCommand,
  OpenClaimCommand,
  ReportStatementCommand,
  RetractStatementCommand,
  RewordClaimCommand,
  WithdrawVerdictCommand,
} from '@app/claims';
import { RequirePermission } from '@app/platform';
import { WriteDoc } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import {
  correctStatementBody,
  issueVerdictBody,
  mergeClaimBody,
  openClaimBody,
  reportStatementBody,
  retractStatementBody,
  rewordClaimBody,
  withdrawVerdictBody,
} from '../http/schemas';
import { WriteEndpoint } from '../http/write-endpoint';
import { ZodPipe } from '../http/zod-pipe';

type Out<S extends z.ZodType> = z.output<S>;

@ApiTags('claims')
@Controller('claims')
export class ClaimsWriteController {
  constructor(private readonly writes: WriteEndpoint) {}

  @Post()
  @RequirePermission('write')
  @WriteDoc(openClaimBody, { operationId: 'openClaim', creates: true, summary: 'Open a claim' })
  open(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Body(new ZodPipe(openClaimBody)) body: Out<typeof openClaimBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new OpenClaimCommand(body, context));
  }

  @Post(':claimId/rewordings')
  @RequirePermission('write')
  @WriteDoc(rewordClaimBody, { operationId: 'rewordClaim', summary: 'Reword a claim' })
  reword(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Body(new ZodPipe(rewordClaimBody)) body: Out<typeof rewordClaimBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new RewordClaimCommand(claimId, body, context));
  }

  @Post(':claimId/merger')
  @RequirePermission('write')
  @WriteDoc(mergeClaimBody, {
    operationId: 'mergeClaim',
    summary: 'Merge this claim into another found to be the same proposition',
  })
  merge(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Body(new ZodPipe(mergeClaimBody)) body: Out<typeof mergeClaimBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new MergeClaimCommand(claimId, body, context));
  }

  @Post(':claimId/statements')
  @RequirePermission('write')
  @WriteDoc(reportStatementBody, { operationId: 'reportStatement', summary: 'Report a statement on a claim' })
  report(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Body(new ZodPipe(reportStatementBody)) body: Out<typeof reportStatementBody>,
  ) {
    return this.writes.handle(
      request,
      reply,
      (context) => new ReportStatementCommand(claimId, body, context),
    );
  }

  @Post(':claimId/statements/:statementId/corrections')
  @RequirePermission('write')
  @WriteDoc(correctStatementBody, {
    operationId: 'correctStatement',
    summary: 'Correct our transcription of a statement',
  })
  correct(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Param('statementId') statementId: string,
    @Body(new ZodPipe(correctStatementBody)) body: Out<typeof correctStatementBody>,
  ) {
    return this.writes.handle(
      request,
      reply,
      (context) => new CorrectStatementCommand(claimId, statementId, body, context),
    );
  }

  @Post(':claimId/statements/:statementId/retraction')
  @RequirePermission('write')
  @WriteDoc(retractStatementBody, { operationId: 'retractStatement', summary: 'Retract a statement' })
  retract(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Param('statementId') statementId: string,
    @Body(new ZodPipe(retractStatementBody)) body: Out<typeof retractStatementBody>,
  ) {
    return this.writes.handle(
      request,
      reply,
      (context) => new RetractStatementCommand(claimId, statementId, body, context),
    );
  }

  @Post(':claimId/verdicts')
  @RequirePermission('verdict')
  @WriteDoc(issueVerdictBody, { operationId: 'issueVerdict', summary: "Issue the desk's verdict (editor)" })
  issueVerdict(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Body(new ZodPipe(issueVerdictBody)) body: Out<typeof issueVerdictBody>,
  ) {
    return this.writes.handle(request, reply, (context) => new IssueVerdictCommand(claimId, body, context));
  }

  @Post(':claimId/verdicts/:verdictId/withdrawal')
  @RequirePermission('verdict')
  @WriteDoc(withdrawVerdictBody, { operationId: 'withdrawVerdict', summary: 'Withdraw a verdict (editor)' })
  withdrawVerdict(
    @Req() request: AuthedRequest,
    @Res() reply: FastifyReply,
    @Param('claimId') claimId: string,
    @Param('verdictId') verdictId: string,
    @Body(new ZodPipe(withdrawVerdictBody)) body: Out<typeof withdrawVerdictBody>,
  ) {
    return this.writes.handle(
      request,
      reply,
      (context) => new WithdrawVerdictCommand(claimId, verdictId, body, context),
    );
  }
}
