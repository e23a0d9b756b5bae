import type { Command } from '@nestjs/cqrs';
import type { z } from 'zod';
import {
  AmendSourceCommand,
  type CommandContext,
  CorrectStatementCommand,
  IssueVerdictCommand,
  MergeClaimCommand,
  OpenClaimCommand,
  RegisterSourceCommand,
  ReportStatementCommand,
  RetractStatementCommand,
  RewordClaimCommand,
  ShredSourceIdentityCommand,
  type WriteResult,
  WithdrawVerdictCommand,
} from '@app/claims';
import type { Permission } from '@app/platform';
import {
  amendSourceBody,
  correctStatementBody,
  issueVerdictBody,
  mergeClaimBody,
  openClaimBody,
  registerSourceBody,
  reportStatementBody,
  retractStatementBody,
  rewordClaimBody,
  shredSourceBody,
  withdrawVerdictBody,
} from '../http/schemas';

/**
 * The write commands by name, for transports other than HTTP (NATS: `<prefix>.commands.<name>`).
 * Each names the HTTP route it stands for — the same permission, the same body schema, the same
 * command — so a command sent over NATS is validated, authorised and fingerprinted for
 * Idempotency-Key exactly as that POST would be. The route table is checked against the
 * controllers' own decorators (write-commands.unit.spec.ts), so the two cannot drift apart.
 */
export interface WriteCommand<S extends z.ZodType = z.ZodType> {
  /** The HTTP route's path template, as the controller declares it. */
  route: string;
  permission: Permission;
  /** Ids the HTTP path carries; over NATS they are fields of the payload beside the body's. */
  params: readonly string[];
  body: S;
  build: (
    params: Readonly<Record<string, string>>,
    body: z.output<S>,
    context: CommandContext,
  ) => Command<WriteResult>;
}

/** Checks each entry's `build` against its own schema's output type. */
const command = <S extends z.ZodType>(definition: WriteCommand<S>): WriteCommand => definition;

export const WRITE_COMMANDS: Readonly<Record<string, WriteCommand>> = {
  'register-source': command({
    route: '/sources',
    permission: 'write',
    params: [],
    body: registerSourceBody,
    build: (_p, body, context) => new RegisterSourceCommand(body, context),
  }),
  'amend-source': command({
    route: '/sources/:sourceId/amendments',
    permission: 'write',
    params: ['sourceId'],
    body: amendSourceBody,
    build: (p, body, context) => new AmendSourceCommand(p.sourceId!, body, context),
  }),
  'shred-source-identity': command({
    route: '/sources/:sourceId/shredding',
    permission: 'sources:shred',
    params: ['sourceId'],
    body: shredSourceBody,
    build: (p, body, context) => new ShredSourceIdentityCommand(p.sourceId!, body, context),
  }),
  'open-claim': command({
    route: '/claims',
    permission: 'write',
    params: [],
    body: openClaimBody,
    build: (_p, body, context) => new OpenClaimCommand(body, context),
  }),
  'reword-claim': command({
    route: '/claims/:claimId/rewordings',
    permission: 'write',
    params: ['claimId'],
    body: rewordClaimBody,
    build: (p, body, context) => new RewordClaimCommand(p.claimId!, body, context),
  }),
  'merge-claim': command({
    route: '/claims/:claimId/merger',
    permission: 'write',
    params: ['claimId'],
    body: mergeClaimBody,
    build: (p, body, context) => new MergeClaimCommand(p.claimId!, body, context),
  }),
  'report-statement': command({
    route: '/claims/:claimId/statements',
    permission: 'write',
    params: ['claimId'],
    body: reportStatementBody,
    build: (p, body, context) => new ReportStatementCommand(p.claimId!, body, context),
  }),
  'correct-statement': command({
    route: '/claims/:claimId/statements/:statementId/corrections',
    permission: 'write',
    params: ['claimId', 'statementId'],
    body: correctStatementBody,
    build: (p, body, context) => new CorrectStatementCommand(p.claimId!, p.statementId!, body, context),
  }),
  'retract-statement': command({
    route: '/claims/:claimId/statements/:statementId/retraction',
    permission: 'write',
    params: ['claimId', 'statementId'],
    body: retractStatementBody,
    build: (p, body, context) => new RetractStatementCommand(p.claimId!, p.statementId!, body, context),
  }),
  'issue-verdict': command({
    route: '/claims/:claimId/verdicts',
    permission: 'verdict',
    params: ['claimId'],
    body: issueVerdictBody,
    build: (p, body, context) => new IssueVerdictCommand(p.claimId!, body, context),
  }),
  'withdraw-verdict': command({
    route: '/claims/:claimId/verdicts/:verdictId/withdrawal',
    permission: 'verdict',
    params: ['claimId', 'verdictId'],
    body: withdrawVerdictBody,
    build: (p, body, context) => new WithdrawVerdictCommand(p.claimId!, p.verdictId!, body, context),
  }),
};

/** The path an HTTP client would have sent, ids encoded as in a URL (the idempotency fingerprint). */
export const pathOf = (route: string, params: Readonly<Record<string, string>>): string =>
  route.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
