import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Command, CommandBus } from '@nestjs/cqrs';
import canonicalize from 'canonicalize';
import type { FastifyReply } from 'fastify';
import type { CommandContext, WriteResult } from '@app/claims';
import { CLOCK, type Clock } from '@app/event-store';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import { IDEMPOTENCY_STORE } from '../persistence/persistence.tokens';
import type { IdempotencyStore, StoredResponse } from './idempotency.store';
import { paramsOf, toProblem } from './problem-details.filter';
import { type AuthedRequest, commandContextOf, principalOf } from './request-context';

/**
 * Every POST goes through here: build the command context, honour Idempotency-Key, send the command
 * on the bus, wait until the read models include the write (so the caller reads its own write),
 * and answer 201 with the stream version as ETag — or 200 with the first answer, for a replay.
 */
@Injectable()
export class WriteEndpoint {
  private readonly logger = new Logger('Write');

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(
    request: AuthedRequest,
    reply: FastifyReply,
    command: (context: CommandContext) => Command<WriteResult>,
  ): Promise<void> {
    const context = commandContextOf(request);
    const key = context.idempotencyKey;
    if (key === undefined) return this.send(reply, await this.settled(await this.execute(command(context))));

    const principal = principalOf(request);
    const scope = principal.keyDigest;
    const reservation = this.idempotency.begin(
      scope,
      key,
      principal.name,
      requestHash(request),
      this.clock.now(),
    );
    if (reservation.kind === 'replay') return this.send(reply, reservation.response, true);
    let response: StoredResponse;
    try {
      response = await this.execute(command(context));
    } catch (error) {
      const problem = toProblem(error, paramsOf(request));
      if (problem.status < 500) {
        this.idempotency.complete(scope, key, {
          status: problem.status,
          body: { ...problem, instance: request.url },
        });
      } else {
        this.idempotency.release(scope, key);
      }
      throw error;
    }
    // Recorded as soon as the append commits: a retry must never append twice.
    this.idempotency.complete(scope, key, response);
    return this.send(reply, await this.settled(response));
  }

  private async execute(command: Command<WriteResult>): Promise<StoredResponse> {
    const result = await this.commandBus.execute(command);
    return {
      status: 201,
      body: { id: result.id, streamVersion: result.streamVersion, position: result.position.toString() },
      etag: `"${result.streamVersion}"`,
    };
  }

  /** Read-your-writes: the answer leaves once the read models include the write. */
  private async settled(response: StoredResponse): Promise<StoredResponse> {
    const { position } = response.body as { position: string };
    try {
      await this.projections.waitFor(BigInt(position));
      return response;
    } catch (error) {
      // The event is committed: answering 5xx would invite a retry that records it twice. Say 201,
      // and say that reads may not show it yet; the projection daemon retries on its next signal.
      this.logger.error(`read models lag behind committed position ${position}: ${String(error)}`);
      return { ...response, lagging: true };
    }
  }

  private send(reply: FastifyReply, response: StoredResponse, replayed = false): void {
    // A replayed success is 200 (API.md); a replayed client error keeps its status.
    const status = replayed && response.status === 201 ? 200 : response.status;
    if (response.etag) void reply.header('etag', response.etag);
    if (response.lagging) void reply.header('x-read-models-lagging', 'true');
    if (replayed) void reply.header('idempotent-replayed', 'true');
    if (status >= 400) void reply.header('content-type', 'application/problem+json');
    void reply.status(status).send(response.body);
  }
}

/** The same request is the same method, path and JSON body, whatever the key order. */
function requestHash(request: AuthedRequest): string {
  const body = canonicalize(request.body ?? null) ?? 'null';
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}
