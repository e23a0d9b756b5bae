import { Injectable, Logger, PayloadTooLargeException } from '@nestjs/common';
import { ApiKeyAuthenticator } from '@app/platform';
import type { StoredResponse } from '../idempotency/idempotency.port';
import { BODY_LIMIT_BYTES } from '../http/body-limit';
import { IdempotencyService, type Reservation, type WriteRequest } from '../http/idempotency.service';
import { ProblemError } from '../http/problem';
import { toProblem } from '../http/problem-details.filter';
import { checkCorrelationId, checkIdempotencyKey, parseIfMatch } from '../http/request-context';
import { replayedStatus, WriteEndpoint } from '../http/write-endpoint';
import { ZodPipe } from '../http/zod-pipe';
import { pathOf, WRITE_COMMANDS, type WriteCommand } from './write-commands';

/** A write command as a non-HTTP transport received it: a name, a JSON payload, HTTP's headers. */
export interface CommandRequest {
  /** A key of WRITE_COMMANDS (`report-statement`). */
  name: string;
  /** The HTTP body, plus the ids the HTTP path would carry as fields of the same names. */
  payload: unknown;
  /** Set when the payload was not JSON (the parser's message). */
  malformed?: string;
  /** What the body parser threw for the payload (json-body.ts's 400, with its code), with `malformed`. */
  refusal?: unknown;
  /** The payload's size in bytes: over BODY_LIMIT_BYTES it is refused, as HTTP refuses the body. */
  size?: number;
  /** `Bearer <key>`, as HTTP's Authorization header. */
  authorization?: string;
  idempotencyKey?: string;
  ifMatch?: string;
  correlationId?: string;
}

/** HTTP's answer to the same request: a StoredResponse, and whether it is a replay. */
export type CommandResponse = StoredResponse & { replayed?: boolean };

/**
 * The HTTP write path for other transports (NATS), in HTTP's order: authenticate and authorise
 * (ApiKeyGuard's rules), reserve the Idempotency-Key (IdempotencyInterceptor's: before the body
 * is validated, so a 400 is stored and replayed), validate the body (the route's ZodPipe), run
 * the command (WriteEndpoint.run), and answer with what HTTP would have answered — the same
 * status, body, problem details and stored answers. A request is described to the idempotency
 * store as the POST it stands for (method, path with its ids, body), so an HTTP retry of a NATS
 * command with the same API key and Idempotency-Key is the same request, and replays.
 */
@Injectable()
export class CommandDispatcher {
  private readonly logger = new Logger('Commands');

  constructor(
    private readonly auth: ApiKeyAuthenticator,
    private readonly idempotency: IdempotencyService,
    private readonly writes: WriteEndpoint,
  ) {}

  async dispatch(command: CommandRequest): Promise<CommandResponse> {
    const definition = WRITE_COMMANDS[command.name];
    if (!definition) return answer(unknownCommand(command.name), command.name);
    const split = splitPayload(definition, command.payload);
    const request: WriteRequest = {
      method: 'POST',
      url: pathOf(definition.route, split.params),
      body: split.body,
      params: split.params,
    };
    try {
      // HTTP's order: the body is read and parsed (413, 400) before the route's guard runs (401, 403).
      if ((command.size ?? 0) > BODY_LIMIT_BYTES) throw tooLarge();
      if (command.refusal instanceof ProblemError) throw command.refusal;
      if (command.malformed !== undefined) throw malformedJson(command.malformed);
      request.principal = this.auth.authorize(command.authorization, definition.permission);
      if (split.problem) throw split.problem;
      return await this.run(definition, request, split.params, command);
    } catch (error) {
      return answer(error, request.url, request.params, this.logger);
    }
  }

  private async run(
    definition: WriteCommand,
    request: WriteRequest,
    params: Record<string, string>,
    command: CommandRequest,
  ): Promise<CommandResponse> {
    const key = checkIdempotencyKey(command.idempotencyKey);
    let reservation: Reservation | undefined;
    if (key !== undefined) {
      const begun = await this.idempotency.begin(request, key);
      if (begun.kind === 'replay') {
        return { ...begun.response, status: replayedStatus(begun.response.status), replayed: true };
      }
      reservation = begun.reservation;
    }
    try {
      const body = new ZodPipe(definition.body).transform(request.body);
      // Read where HTTP reads it (WriteEndpoint, after the pipes): a bad If-Match is stored too.
      const expectedVersion = parseIfMatch(command.ifMatch);
      const context = {
        principal: request.principal!.name,
        correlationId: checkCorrelationId(command.correlationId),
        ...(key === undefined ? {} : { idempotencyKey: key }),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      };
      return await this.writes.run(context, reservation, (ctx) => definition.build(params, body, ctx));
    } catch (error) {
      if (reservation !== undefined) await this.idempotency.fail(reservation, request, error);
      throw error;
    }
  }
}

/** HTTP's answer to an error: problem details with the request's path as `instance`. */
function answer(error: unknown, instance: string, params: unknown = {}, logger?: Logger): CommandResponse {
  const problem = { ...toProblem(error, params as Record<string, unknown>), instance };
  if (problem.status >= 500) {
    logger?.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  return { status: problem.status, body: problem };
}

interface SplitPayload {
  params: Record<string, string>;
  body: unknown;
  /** A path id missing or not a string: what HTTP would have answered 404 for (no such route). */
  problem?: ProblemError;
}

/** The ids HTTP carries in the path, taken out of the payload; the rest is the HTTP body. */
function splitPayload(definition: WriteCommand, payload: unknown): SplitPayload {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return definition.params.length === 0
      ? { params: {}, body: payload }
      : { params: {}, body: payload, problem: missingIds(definition.params) };
  }
  const body: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of definition.params) {
    const value = body[name];
    delete body[name];
    if (typeof value === 'string' && value.length > 0 && value.length <= 200) params[name] = value;
    else missing.push(name);
  }
  return missing.length === 0 ? { params, body } : { params, body, problem: missingIds(missing) };
}

const missingIds = (names: readonly string[]) =>
  new ProblemError(
    400,
    'VALIDATION_FAILED',
    'The request is not valid',
    `payload ${names.map((n) => `${n}: must be the id HTTP carries in the path (a string)`).join('; ')}`,
    names.map((field) => ({ field, message: 'must be the id HTTP carries in the path (a string)' })),
  );

/** What HTTP answers for a body over the limit (Fastify's refusal, as Nest hands it to toProblem). */
const tooLarge = () => new PayloadTooLargeException('Request body is too large');

const malformedJson = (detail: string) =>
  new ProblemError(400, 'MALFORMED_JSON', 'Bad request', `the payload is not JSON: ${detail}`);

const unknownCommand = (name: string) =>
  new ProblemError(
    404,
    'UNKNOWN_COMMAND',
    'Not found',
    `no command "${name}"; commands: ${Object.keys(WRITE_COMMANDS).join(', ')}`,
  );
