import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@app/claims';
import type { Principal } from '@app/platform';
import { ProblemError } from './problem';

export type AuthedRequest = FastifyRequest & { principal?: Principal };

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function principalOf(request: AuthedRequest): Principal {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal;
}

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = header(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ProblemError(
      400,
      'INVALID_IDEMPOTENCY_KEY',
      'Bad request',
      'Idempotency-Key must be 1–200 visible ASCII characters',
    );
  }
  return key;
}

/** `If-Match: "3"` (or W/"3"): the stream version the caller expects. */
export function expectedVersionOf(request: FastifyRequest): number | undefined {
  const value = header(request, 'if-match');
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value.trim());
  if (!match?.[1]) {
    throw new ProblemError(
      400,
      'INVALID_IF_MATCH',
      'Bad request',
      'If-Match must be a stream version in quotes, e.g. "3"',
    );
  }
  return Number(match[1]);
}

/** The request's id (Fastify took it from X-Correlation-Id or made one): logs and events agree. */
export function correlationIdOf(request: FastifyRequest): string {
  return /^[\w.:-]{1,128}$/.test(request.id) ? request.id : randomUUID();
}

export function commandContextOf(request: AuthedRequest): CommandContext {
  const idempotencyKey = idempotencyKeyOf(request);
  const expectedVersion = expectedVersionOf(request);
  return {
    principal: principalOf(request).name,
    correlationId: correlationIdOf(request),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
}
