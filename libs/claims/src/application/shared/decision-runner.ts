import { Inject, Injectable, Optional } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  EVENT_STORE,
  type EventStore,
  type AppendResult,
  type NewEvent,
  type StoredEvent,
  WrongExpectedVersionError,
} from '@app/event-store';
import { type CommandContext, PreconditionFailedError } from './command-context';
import type { Decider, DomainEvent } from './decider';
import { EventCodec } from './event-codec';
import { FoldCache } from './fold-cache';
import { RetryPolicy, type RetryPolicyOptions } from './retry-policy';
import { StreamQueue } from './stream-queue';

export interface Loaded<S> {
  state: S;
  version: number;
}

export interface Appended {
  streamVersion: number;
  position: bigint;
}

/**
 * An application step between the pure decision and the append (sealing a protected source's
 * identity, destroying a key): given the decided events and the state they were decided on, it
 * answers the events to append. It runs again on every retry, so it must be idempotent.
 */
export type PrepareEvents<S, E> = (events: E[], state: S) => Promise<E[]>;

/** How the runner backs off after a lost race (defaults: DEFAULT_RETRY_POLICY). */
export type DecisionRunnerOptions = RetryPolicyOptions;
export const DECISION_RUNNER_OPTIONS = Symbol('DECISION_RUNNER_OPTIONS');

/**
 * The whole of a command handler's work, once: load the stream, fold, decide, append with the
 * version that was read. The decision is pure; this class is the only place that touches the store.
 * A stream this process folded before is decided on its cached state without reading it, the
 * append's expected version proving that state current (see `tryOnCachedState`).
 *
 * Commands on one stream are queued in this process (one at a time, in arrival order), so a
 * process never loses a race to itself. A race lost to another process (WrongExpectedVersion
 * without If-Match) is decided again on the fresh state after a jittered backoff, until the retry
 * budget is spent: docs/decisions/0007-hot-streams.md.
 */
@Injectable()
export class DecisionRunner {
  private readonly retry: RetryPolicy;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: EventCodec,
    @Optional() @Inject(DECISION_RUNNER_OPTIONS) options?: DecisionRunnerOptions,
  ) {
    this.retry = new RetryPolicy(options);
  }

  private readonly cache = new FoldCache();
  private readonly queue = new StreamQueue();

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
   * Throws DomainError from the decider, PreconditionFailedError for a stale If-Match, and
   * WrongExpectedVersionError when races lost to other processes outlast the retry budget.
   */
  run<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
    prepare?: PrepareEvents<S, E>,
  ): Promise<Appended> {
    return this.queue.run(streamId, () => this.decideAndAppend(streamId, decider, command, context, prepare));
  }

  private async decideAndAppend<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
    prepare: PrepareEvents<S, E> | undefined,
  ): Promise<Appended> {
    const startedAt = this.retry.now();
    const optimistic = this.optimistic(streamId, decider, context);
    if (optimistic !== undefined) {
      const appended = await this.tryOnCachedState(streamId, decider, command, context, prepare, optimistic);
      if (appended !== undefined) return appended;
    }
    for (let losses = 1; ; losses++) {
      const { state, version } = await this.load(streamId, decider);
      if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
        throw new PreconditionFailedError(streamId, context.expectedVersion, version);
      }
      const decided = decider.decide(command, state);
      const events = prepare ? await prepare(decided, state) : decided;
      try {
        const appending = events.map((e) => this.toNew(e, context));
        const result = await this.store.append(streamId, appending, version);
        this.remember(streamId, decider, state, version, result);
        return { streamVersion: result.streamVersion, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (context.expectedVersion !== undefined) {
          throw new PreconditionFailedError(streamId, context.expectedVersion, error.actual);
        }
        if (!(await this.retry.backOff(losses, startedAt))) throw error;
      }
    }
  }

  /**
   * The cached state, if this command may decide on it without reading the stream: a store only
   * this process writes (on a shared one, a replica deciding on its cache would win nearly every
   * race against one that reads first: decision 0032), no If-Match (checked against the stream
   * itself), and a cache that has not lately proved stale (FoldCache.trusted). The append's
   * expected version is the proof that it was current.
   */
  private optimistic<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    context: CommandContext,
  ): Loaded<S> | undefined {
    if (context.expectedVersion !== undefined || this.store.singleProcess !== true) return undefined;
    if (this.cache.trusted(streamId, decider)) return this.cache.get<S>(streamId, decider);
    this.cache.readFirst(streamId, decider);
    return undefined;
  }

  /**
   * Decides on the cached state and appends with its version: one read of the stream less per
   * command. Only an append can confirm the state was current, so whatever else it gives — a
   * refusal, nothing to append, a race lost (another process appended) — answers undefined and
   * the command is decided again on the stream as read, as if this attempt had not happened: a
   * stale cache never refuses a command nor costs it a back-off.
   */
  private async tryOnCachedState<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
    prepare: PrepareEvents<S, E> | undefined,
    { state, version }: Loaded<S>,
  ): Promise<Appended | undefined> {
    let decided: E[];
    try {
      decided = decider.decide(command, state);
    } catch {
      return undefined;
    }
    if (decided.length === 0) return undefined;
    const events = prepare ? await prepare(decided, state) : decided;
    try {
      const result = await this.store.append(
        streamId,
        events.map((e) => this.toNew(e, context)),
        version,
      );
      this.cache.hit(streamId, decider);
      this.remember(streamId, decider, state, version, result);
      return { streamVersion: result.streamVersion, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      this.cache.missed(streamId, decider);
      return undefined;
    }
  }

  /**
   * The append just committed its events right after `version` (its expected version held), so the
   * state after them is the loaded state folded with them: cached, the next command on the stream
   * reads nothing back. Folded from the events the store answered, which hold the data as a read
   * would decode it (the stored JSON), so the cached state is the one a read would give.
   */
  private remember<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    state: S,
    version: number,
    result: AppendResult,
  ): void {
    if (result.streamVersion !== version + result.events.length) return;
    this.cache.set(streamId, decider, result.streamVersion, this.fold(decider, result.events, state));
  }

  private fold<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, stored: StoredEvent[], from: S): S {
    return stored.reduce((state, event) => decider.evolve(state, this.codec.decode(event) as E), from);
  }

  private toNew(event: DomainEvent, context: CommandContext): NewEvent {
    return {
      // Time-ordered (RFC 9562 version 7): a log's event-id index then grows at its right edge
      // instead of dirtying a random page per event (decision 0023).
      eventId: uuidv7(),
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
