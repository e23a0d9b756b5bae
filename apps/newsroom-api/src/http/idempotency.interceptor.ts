import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, concatMap, from, type Observable, of, switchMap, throwError } from 'rxjs';
import { type Begun, IdempotencyService, type Reservation } from './idempotency.service';
import { type AuthedRequest, idempotencyKeyOf } from './request-context';
import { sendWriteResponse } from './write-endpoint';

/** A POST that holds its Idempotency-Key while it runs (set here, read by WriteEndpoint). */
export type IdempotentRequest = AuthedRequest & { idempotency?: Reservation };

/**
 * Idempotency-Key for every authenticated POST. Nest runs interceptors after the guards (so the
 * API key is known: keys are scoped to it) and before the pipes: the key is reserved before the
 * body is validated, so a 400 for an invalid body is stored and replayed like any other client
 * error, and the key cannot later be reused for another body. A body that is not JSON at all is
 * refused by the HTTP layer before this point, and never stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    if (request.method !== 'POST' || request.principal === undefined) return next.handle();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next.handle();
    return from(this.idempotency.begin(request, key)).pipe(
      switchMap((begun: Begun) => {
        if (begun.kind === 'replay') {
          sendWriteResponse(http.getResponse<FastifyReply>(), begun.response, true);
          return of(undefined);
        }
        request.idempotency = begun.reservation;
        const { reservation } = begun;
        return next.handle().pipe(
          // Settled by WriteEndpoint on success; this only frees a key a route left unanswered.
          concatMap(async (value: unknown) => {
            await this.idempotency.unanswered(reservation);
            return value;
          }),
          catchError((error: unknown) =>
            from(this.idempotency.fail(reservation, request, error)).pipe(
              switchMap(() => throwError(() => error)),
            ),
          ),
        );
      }),
    );
  }
}
