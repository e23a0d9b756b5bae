import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { NatsConnection } from '@nats-io/nats-core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { connectNats, type IncomingCommand, JetStreamEventOutbox, NatsCommandServer } from '@app/feeds/nats';
import { APP_CONFIG, type AppConfig, type NatsConfig } from '@app/platform';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { eventToWire } from '../events/event-wire';
import { BODY_LIMIT_BYTES } from '../http/body-limit';
import { parseJsonBody } from '../http/json-body';
import { ProblemError } from '../http/problem';
import { toProblem } from '../http/problem-details.filter';
import { MetricsService } from '../ops/metrics.service';

/** How long the first connection may take before the start fails (later losses reconnect forever). */
const CONNECT_TIMEOUT_MS = 5_000;

/** Past the in-flight bound: nothing was run; the same message id retried later runs once. */
const busyReply = {
  status: 503,
  body: toProblem(
    new ProblemError(
      503,
      'BROKER_BUSY',
      'Service unavailable',
      'too many commands are running on this replica; retry shortly with the same Nats-Msg-Id',
    ),
  ),
};

export class BrokerUnreachableError extends Error {
  override readonly name = 'BrokerUnreachableError';
  readonly code = 'NATS_UNREACHABLE';
}

/**
 * NATS JetStream, when NATS_URL is set (docs/decisions/0015): write commands in on
 * `<prefix>.commands.<command>` through the same dispatcher as HTTP's, and every event of the log
 * out to the JetStream stream from its own checkpoint. Started by createApp after idempotency
 * recovery (a command must not reserve a key that recovery is about to resolve) and stopped
 * before the store closes.
 */
@Injectable()
export class BrokerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Broker');
  private connection: NatsConnection | undefined;
  private server: NatsCommandServer | undefined;
  private outbox: JetStreamEventOutbox | undefined;
  private publishing: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dispatcher: CommandDispatcher,
    private readonly metrics: MetricsService,
  ) {}

  async start(): Promise<void> {
    const nats = this.config.nats;
    if (!nats) return;
    this.connection = await this.connect(nats);
    this.server = new NatsCommandServer(this.connection, {
      prefix: nats.subjectPrefix,
      handle: (command) => this.handle(command),
      busy: () => busyReply,
      onError: (error) => this.logger.error(`NATS command: ${String(error)}`),
      maxPayloadBytes: BODY_LIMIT_BYTES,
      // HTTP's body parser: what a POST may not carry (NUL, lone surrogates, bytes that are not
      // UTF-8, Infinity, deep nesting) a command may not either, refused with the same codes.
      parse: (bytes) => parseJsonBody(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    });
    this.outbox = new JetStreamEventOutbox({
      connection: this.connection,
      store: this.store,
      stream: nats.eventsStream,
      prefix: nats.subjectPrefix,
      toWire: eventToWire,
      log: { warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
    const outbox = this.outbox;
    new Gauge({
      name: 'newsroom_nats_events_published_position',
      help: 'Last log position this replica saw stored in the NATS events stream (the log head minus this is the stream lag)',
      registers: [this.metrics.registry],
      collect() {
        this.set(Number(outbox.published));
      },
    });
    // A stream that exists with other subjects is a configuration mistake: say so at start.
    await this.outbox.ensureStream();
    this.server.start();
    this.publishing = this.outbox.run(this.stopping.signal);
    this.logger.log(
      `NATS: commands on ${nats.subjectPrefix}.commands.*, events to stream ${nats.eventsStream}`,
    );
  }

  /** The last log position this process saw stored in the events stream (tests, diagnostics). */
  get publishedPosition(): bigint {
    return this.outbox?.published ?? 0n;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.server?.stop();
    await this.publishing;
    await this.connection?.drain().catch(() => this.connection?.close());
  }

  private handle(command: IncomingCommand) {
    const { msgId, idempotencyKey, ...rest } = command;
    // JetStream's message id is the natural idempotency key of a NATS sender; an explicit
    // Idempotency-Key wins, so a client can share one key between HTTP and NATS retries.
    const key = idempotencyKey ?? msgId;
    return this.dispatcher.dispatch({ ...rest, ...(key === undefined ? {} : { idempotencyKey: key }) });
  }

  private async connect(nats: NatsConfig): Promise<NatsConnection> {
    try {
      return await connectNats({
        servers: nats.servers,
        name: 'newsroom-api',
        timeout: CONNECT_TIMEOUT_MS,
        maxReconnectAttempts: -1,
      });
    } catch (error) {
      throw new BrokerUnreachableError(
        `NATS_URL is set but ${nats.servers.join(', ')} cannot be reached: ${String(error)}`,
      );
    }
  }
}
