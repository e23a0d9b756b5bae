import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode, PreconditionFailedError } from '@app/claims';
import { DuplicateEventError, InvalidAppendError, WrongExpectedVersionError } from '@app/event-store';
import { AuthError } from '@app/platform';
import { ProtectionError } from '@app/protection';
import { type Problem, ProblemError, problemType } from './problem';

/** Domain codes to HTTP. Path ids that are unknown are 404; ids a body names are 422 (API.md, Errors). */
const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  SOURCE_NOT_FOUND: 404,
  CLAIM_NOT_FOUND: 404,
  STATEMENT_NOT_FOUND: 404,
  VERDICT_NOT_FOUND: 404,
  AFFILIATION_NOT_FOUND: 422,
  AFFILIATION_INVALID: 422,
  SOURCE_ALREADY_EXISTS: 409,
  CLAIM_ALREADY_EXISTS: 409,
  STATEMENT_ALREADY_EXISTS: 409,
  VERDICT_ALREADY_EXISTS: 409,
  STATEMENT_RETRACTED: 409,
  VERDICT_ALREADY_WITHDRAWN: 409,
  VERDICT_ALREADY_ACTIVE: 409,
  NOTHING_CHANGED: 422,
  SOURCE_NOT_PROTECTED: 422,
  SOURCE_SHREDDED: 409,
  CLAIM_MERGED: 409,
  MERGE_INTO_ITSELF: 422,
  MERGE_TARGET_MERGED: 409,
  MERGE_INCOMPATIBLE: 422,
  MERGE_STATEMENT_CLASH: 409,
  VALUE_REQUIRED: 422,
  VALUE_NOT_ALLOWED: 422,
  VALUE_KIND_MISMATCH: 422,
  VALUE_INVALID: 422,
  UNIT_NOT_ALLOWED: 422,
  EVIDENCE_REQUIRED: 422,
  EVIDENCE_NOT_IN_CLAIM: 422,
  INVALID_FIELD: 422,
  TIME_IN_FUTURE: 422,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * `pathParams` tells an unknown id in the URL (404) from an unknown id the body names (422): a
 * not-found error whose field is a path parameter, or that names no field, is the URL's.
 */
export function toProblem(error: unknown, pathParams: Readonly<Record<string, unknown>> = {}): Problem {
  if (error instanceof ProblemError) {
    return problem(error.status, error.code, error.message, error.title, error.errors);
  }
  if (error instanceof DomainError) {
    const inBody = error.field !== undefined && !(error.field in pathParams);
    const status = error.code.endsWith('_NOT_FOUND') && inBody ? 422 : DOMAIN_STATUS[error.code];
    const errors = error.field ? [{ field: error.field, message: error.message }] : undefined;
    return problem(status, error.code, error.message, undefined, errors);
  }
  if (error instanceof AuthError) {
    return problem(error.status, error.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', error.message);
  }
  if (error instanceof PreconditionFailedError) return problem(412, error.code, error.message);
  // Never the key, never a plaintext: these messages name only sources by id and keys by digest.
  if (error instanceof ProtectionError) {
    return problem(error.code === 'PROTECTION_NOT_CONFIGURED' ? 503 : 500, error.code, error.message);
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, error.code, `${error.message}; another write won the race, retry`);
  }
  if (error instanceof DuplicateEventError) return problem(409, error.code, error.message);
  if (error instanceof InvalidAppendError) return problem(400, error.code, error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, `HTTP_${status}`, error.message);
  }
  if (isFastifyClientError(error)) {
    return problem(error.statusCode, error.code ?? `HTTP_${error.statusCode}`, error.message);
  }
  return problem(500, 'INTERNAL', 'the server failed; nothing was recorded unless a success was answered');
}

function problem(
  status: number,
  code: string,
  detail: string,
  title?: string,
  errors?: Problem['errors'],
): Problem {
  return {
    type: problemType(code),
    title: title ?? TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

interface FastifyClientError {
  statusCode: number;
  code?: string;
  message: string;
}
function isFastifyClientError(error: unknown): error is FastifyClientError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: unknown,
  logger: Logger,
): void {
  const body = { ...toProblem(error, paramsOf(request)), instance: request.url };
  if (body.status >= 500)
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  void reply.status(body.status).header('content-type', 'application/problem+json').send(body);
}

export const paramsOf = (request: { params?: unknown }): Record<string, unknown> =>
  (request.params ?? {}) as Record<string, unknown>;

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), error, this.logger);
  }
}
