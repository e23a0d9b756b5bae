import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Command, CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import type { CommandContext, WriteResult } from '@app/claims';
import { PROJECTION_RUNNER, type ProjectionRunner } from '@app/projections';
import type { StoredResponse } from '../idempotency/idempotency.port';
import type { IdempotentRequest } from './idempotency.interceptor';
import { IdempotencyService, type Reservation } from './idempotency.service';
import type { WriteAnswer } from './responses/ops.responses';
import { type AuthedRequest, commandContextOf } from './request-context';

/**
 * Every POST goes through here: build the command context, send the command on the bus, record the
 * answer under its Idempotency-Key (IdempotencyInterceptor reserved it and settles failures), wait
 * until the read models include the write (so the caller reads its own write), and answer 201 with
 * the stream version as ETag.
 */
@Injectable()
export class WriteEndpoint {
  private readonly logger = new Logger('Write');

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    private readonly idempotency: IdempotencyService,
  ) {}

  async handle(
    request: AuthedRequest,
    reply: FastifyReply,
    command: (context: CommandContext) => Command<WriteResult>,
  ): Promise<void> {
    const reservation = (request as IdempotentRequest).idempotency;
    sendWriteResponse(reply, await this.run(commandContextOf(request), reservation, command));
  }

  /**
   * The write itself, whatever carried it (HTTP here, NATS through CommandDispatcher): run the
   * command, record its answer under the reserved key, wait for the read models.
   */
  async run(
    base: CommandContext,
    reservation: Reservation | undefined,
    command: (context: CommandContext) => Command<WriteResult>,
  ): Promise<StoredResponse> {
    // An idempotent request's events name it as their cause: restart recovery finds them by it.
    const context: CommandContext = {
      ...base,
      ...(reservation === undefined ? {} : { causationId: reservation.commandId }),
    };
    const response = await this.execute(command(context));
    // Recorded as soon as the append commits: a retry must never append twice.
    if (reservation !== undefined) await this.idempotency.complete(reservation, response);
    return this.settled(response);
  }

  private async execute(command: Command<WriteResult>): Promise<StoredResponse> {
    const result = await this.commandBus.execute(command);
    // Typed: the 201's response schema is checked against this type (responses/ops.responses.ts).
    const body: WriteAnswer = {
      id: result.id,
      streamVersion: result.streamVersion,
      position: result.position.toString(),
    };
    return {
      status: 201,
      body,
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
}

/** A replayed success is 200 (API.md); a replayed client error keeps its status. */
export const replayedStatus = (status: number): number => (status === 201 ? 200 : status);

/** A write's answer, first or replayed (a replayed success is 200, API.md; a client error keeps its status). */
export function sendWriteResponse(reply: FastifyReply, response: StoredResponse, replayed = false): void {
  const status = replayed ? replayedStatus(response.status) : response.status;
  if (response.etag) void reply.header('etag', response.etag);
  if (response.lagging) void reply.header('x-read-models-lagging', 'true');
  if (replayed) void reply.header('idempotent-replayed', 'true');
  if (status >= 400) void reply.header('content-type', 'application/problem+json');
  void reply.status(status).send(response.body);
}
