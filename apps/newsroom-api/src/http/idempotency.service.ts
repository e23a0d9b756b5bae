import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/event-store';
import type { IdempotencyStore, StoredResponse } from '../idempotency/idempotency.port';
import { idempotentCommandId, requestFingerprint } from '../idempotency/request-identity';
import { IDEMPOTENCY_STORE } from '../persistence/persistence.tokens';
import { IdempotencyRecovery } from './idempotency-recovery';
import { ProblemError } from './problem';
import { paramsOf, toProblem } from './problem-details.filter';
import type { Principal } from '@app/platform';
import { principalOf } from './request-context';

/** A request holding its Idempotency-Key: what finishing it needs, and its command id. */
export interface Reservation {
  keyDigest: string;
  key: string;
  token: string;
  /** Kept as the causationId of the events it appends (request-identity.ts). */
  commandId: string;
  /** Set once the answer or the release is recorded (or tried). */
  settled?: boolean;
}

/**
 * What idempotency needs of a write, whatever carried it: an HTTP request (Fastify's has these
 * fields), or a NATS command described as the HTTP request it stands for (commands/).
 */
export interface WriteRequest {
  principal?: Principal;
  method: string;
  /** Path and query string: part of the fingerprint, and the `instance` of a stored problem. */
  url: string;
  body?: unknown;
  /** Route parameters: tell an unknown id in the path (404) from one in the body (422). */
  params?: unknown;
}

export type Begun = { kind: 'run'; reservation: Reservation } | { kind: 'replay'; response: StoredResponse };

/**
 * The answers that say "not now" rather than "not this": the key is released, so the same request
 * retried with the same key runs again. A lost optimistic race (the stream moved between read and
 * append) and a 5xx are such answers; every other client error is the request's own and is
 * replayed, including a 400 for a body that failed validation.
 */
const RELEASING_CODES = new Set(['WRONG_EXPECTED_VERSION', 'IDEMPOTENT_REQUEST_IN_FLIGHT']);

/** API.md's Idempotency-Key rules, on whichever IdempotencyStore the persistence module chose. */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    private readonly recovery: IdempotencyRecovery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reserves the key for this request, or says to replay the first answer; throws 422 or 409. */
  async begin(request: WriteRequest, key: string): Promise<Begun> {
    const { keyDigest, name } = principalOf(request);
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const entry = {
      keyDigest,
      key,
      principal: name,
      fingerprint,
      reservedAt: this.clock.now().toISOString(),
    };
    // At most: find a stopped replica's key, resolve it from the log, then reserve or replay.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await this.store.reserve(entry);
      if (outcome.kind === 'reserved') {
        const commandId = idempotentCommandId(keyDigest, key, fingerprint);
        return { kind: 'run', reservation: { keyDigest, key, token: outcome.token, commandId } };
      }
      const { record } = outcome;
      if (record.fingerprint !== fingerprint) throw reused();
      if (record.response !== undefined) return { kind: 'replay', response: record.response };
      if (!record.abandoned) break;
      await this.recovery.resolve([record]);
    }
    throw inFlight();
  }

  /** The command committed: recorded before the answer leaves, so a retry never appends twice. */
  async complete(reservation: Reservation, response: StoredResponse): Promise<void> {
    const { keyDigest, key, token } = reservation;
    reservation.settled = true;
    try {
      if (!(await this.store.complete(keyDigest, key, token, response))) {
        this.logger.error(`idempotency key ${key} was resolved by another process while its command ran`);
      }
    } catch (error) {
      // Never a 5xx for a committed write (a retry would record it twice). The key stays pending:
      // retries get 409 until recovery completes it from the log, when this process has stopped.
      this.logger.error(`could not record the answer of idempotency key ${key}: ${String(error)}`);
    }
  }

  /** The request failed (in validation or in its command): store its 4xx, or release the key. */
  async fail(reservation: Reservation, request: WriteRequest, error: unknown): Promise<void> {
    const { keyDigest, key, token } = reservation;
    if (reservation.settled) return;
    reservation.settled = true;
    const problem = toProblem(error, paramsOf(request));
    try {
      if (problem.status >= 500 || RELEASING_CODES.has(problem.code)) {
        await this.store.release(keyDigest, key, token);
      } else {
        await this.store.complete(keyDigest, key, token, {
          status: problem.status,
          body: { ...problem, instance: request.url },
        });
      }
    } catch (storeError) {
      // The request's own error is what the client must see; a key left pending is resolved later.
      this.logger.error(`could not settle idempotency key ${key}: ${String(storeError)}`);
    }
  }

  /** A route that answered without recording its answer (not a WriteEndpoint): free the key. */
  async unanswered(reservation: Reservation): Promise<void> {
    if (reservation.settled) return;
    reservation.settled = true;
    this.logger.warn(
      `a POST answered without recording its Idempotency-Key; key ${reservation.key} released`,
    );
    await this.store
      .release(reservation.keyDigest, reservation.key, reservation.token)
      .catch((error: unknown) =>
        this.logger.error(`could not release key ${reservation.key}: ${String(error)}`),
      );
  }
}

const reused = () =>
  new ProblemError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotency key reused',
    'this Idempotency-Key was used with a different request; use a new key for a new request',
  );

const inFlight = () =>
  new ProblemError(
    409,
    'IDEMPOTENT_REQUEST_IN_FLIGHT',
    'Request in flight',
    'the first request with this Idempotency-Key is still being processed; retry shortly',
  );
