import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type NewEvent,
  type StoredEvent,
  WrongExpectedVersionError,
} from '@app/event-store';
import { type CommandContext, PreconditionFailedError } from './command-context';
import type { Decider, DomainEvent } from './decider';
import { EventCodec } from './event-codec';
import { FoldCache } from './fold-cache';

export interface Loaded<S> {
  state: S;
  version: number;
}

export interface Appended {
  streamVersion: number;
  position: bigint;
}

/** Without If-Match, a write that lost a race is decided again on the fresh state, this many times. */
const MAX_ATTEMPTS = 5;

/**
 * The whole of a command handler's work, once: load the stream, fold, decide, append with the
 * version that was read. The decision is pure; this class is the only place that touches the store.
 */
@Injectable()
export class DecisionRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
  ) {}

  private readonly cache = new FoldCache();

  /** The stream's state: the cached fold, brought up to date with the events appended since. */
  async load<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>): Promise<Loaded<S>> {
    const cached = this.cache.get<S>(streamId, decider);
    const from = cached ? cached.version + 1 : 1;
    const stored = await this.store.readStream(streamId, { fromVersion: from });
    const state = this.fold(decider, stored, cached ? cached.state : decider.initialState());
    const version = from - 1 + stored.length;
    this.cache.set(streamId, decider, version, state);
    return { state, version };
  }

  /**
   * `command` may be built from the loaded state (a handler that needs a lookup does it before).
   * Throws DomainError from the decider, PreconditionFailedError for a stale If-Match.
   */
  async run<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
  ): Promise<Appended> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(streamId, decider);
      if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
        throw new PreconditionFailedError(streamId, context.expectedVersion, version);
      }
      const events = decider.decide(command, state);
      try {
        const result = await this.store.append(
          streamId,
          events.map((e) => this.toNew(e, context)),
          version,
        );
        return { streamVersion: result.streamVersion, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (context.expectedVersion !== undefined) {
          throw new PreconditionFailedError(streamId, context.expectedVersion, error.actual);
        }
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private fold<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, stored: StoredEvent[], from: S): S {
    return stored.reduce((state, event) => decider.evolve(state, this.codec.decode(event) as E), from);
  }

  private toNew(event: DomainEvent, context: CommandContext): NewEvent {
    return {
      eventId: randomUUID(),
      ...this.codec.encode(event),
      metadata: {
        principal: context.principal,
        correlationId: context.correlationId,
        ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
        ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
      },
    };
  }
}
