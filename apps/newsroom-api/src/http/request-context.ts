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

export function principalOf(request: { principal?: Principal }): Principal {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal;
}

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  return checkIdempotencyKey(header(request, 'idempotency-key'));
}

/** An Idempotency-Key as sent (over HTTP or NATS): 1–200 visible ASCII characters, else 400. */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
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
  return parseIfMatch(header(request, 'if-match'));
}

/** Hex digits of the view digest in a claim read's ETag (`"<version>.<digest>"`; parseIfMatch's 16). */
export const VIEW_DIGEST_HEX = 16;

export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // A claim read's ETag is the version and a digest of the view: the version is what is checked.
  const match = /^(?:W\/)?"(\d{1,15})(?:\.[0-9a-f]{16})?"$/.exec(value.trim());
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
  return checkCorrelationId(request.id);
}

/** A sane correlation id as sent, else a fresh UUID (it goes into logs and events). */
export const checkCorrelationId = (id: string | undefined): string =>
  id !== undefined && /^[\w.:-]{1,128}$/.test(id) ? id : randomUUID();

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
