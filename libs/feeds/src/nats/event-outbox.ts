import {
  DiscardPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { type MsgHdrs, headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/nats-core';
import { type EventStore, followLog, type StoredEvent } from '@app/event-store';
import { BROKER_HEADERS as H, eventSubject, eventSubjects } from './subjects';

export type OutboxErrorCode = 'NATS_STREAM_SUBJECTS' | 'NATS_CHECKPOINT_LOST' | 'NATS_CHECKPOINT_UNREADABLE';

export class OutboxError extends Error {
  override readonly name = 'OutboxError';
  constructor(
    readonly code: OutboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface EventOutboxOptions {
  connection: NatsConnection;
  store: EventStore;
  /** The JetStream stream (NATS_EVENTS_STREAM). */
  stream: string;
  /** Subjects are `<prefix>.events.<EventType>`. */
  prefix: string;
  /** What a reader gets of an event (the app's eventToWire). */
  toWire: (event: StoredEvent) => unknown;
  log: { warn(message: string): void; error(message: string): void };
  /** Wait after a failure (NATS down, stream gone) before starting again from the stream. */
  retryMs?: number;
}

/** NATS's own default max_payload, for a connection that has not said its server's yet. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room for the message's headers (ids, position, type) and the protocol line within max_payload. */
const HEADROOM_BYTES = 4096;

/** Where the stream ends: its last sequence and the log position of the event stored there. */
interface Checkpoint {
  seq: number;
  position: bigint;
}

/**
 * Publishes every event of the log to JetStream, once, in log order (docs/decisions/0015). The
 * outbox is the log itself: events are read with `followLog` from a checkpoint, never written
 * twice by the command path. The checkpoint is the stream's own last message (its
 * Newsroom-Position header), so a crash between an append and its publish loses nothing: the next
 * start finds the stream behind the log and publishes the rest.
 *
 * Exactly once in the stream, even with several replicas publishing at the same time: each
 * message is published with `Nats-Expected-Last-Sequence` set to the sequence of the message
 * before it, so it is stored only directly after its predecessor in the log, and with
 * `Nats-Msg-Id` = the event id, so a repeat inside the duplicate window is acknowledged without
 * being stored. A publisher that loses (a wrong-last-sequence error, or a duplicate ack) reads the
 * checkpoint from the stream again and goes on from there.
 */
export class JetStreamEventOutbox {
  private readonly js: JetStreamClient;
  private manager: JetStreamManager | undefined;
  private readonly retryMs: number;
  /** The last position this process saw stored in the stream (for logs and tests). */
  published = 0n;
  /** Publishes another publisher got in first (a duplicate or a wrong last sequence). */
  racesLost = 0;

  constructor(private readonly options: EventOutboxOptions) {
    this.js = jetstream(options.connection);
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Creates the stream when it is missing; an existing one must capture our subjects. */
  async ensureStream(): Promise<void> {
    const jsm = await this.jsm();
    const subject = eventSubjects(this.options.prefix);
    try {
      const info = await jsm.streams.info(this.options.stream);
      if (!(info.config.subjects ?? []).includes(subject)) {
        throw new OutboxError(
          'NATS_STREAM_SUBJECTS',
          `JetStream stream ${this.options.stream} does not capture ${subject} (it has ${JSON.stringify(info.config.subjects)})`,
        );
      }
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
        throw error;
      await jsm.streams.add({
        name: this.options.stream,
        subjects: [subject],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        // Limits drop the oldest messages: the newest, which holds the checkpoint, always stays.
        discard: DiscardPolicy.Old,
        duplicate_window: nanos(2 * 60_000),
      });
    }
  }

  /** Runs until `signal` aborts: publish, and after any failure start again from the stream. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.ensureStream();
        await this.publishFrom(await this.checkpoint(), signal);
      } catch (error) {
        if (signal.aborted) return;
        if (isLostRace(error)) {
          this.racesLost += 1;
          continue;
        }
        this.options.log.warn(`event outbox: ${describe(error)}; starting again from the stream`);
        await sleep(this.retryMs, signal);
      }
    }
  }

  /** The stream's last message says which event was published last. */
  async checkpoint(): Promise<Checkpoint> {
    const jsm = await this.jsm();
    const { state } = await jsm.streams.info(this.options.stream);
    if (state.last_seq === 0) return { seq: 0, position: 0n };
    if (state.messages === 0) {
      throw new OutboxError(
        'NATS_CHECKPOINT_LOST',
        `JetStream stream ${this.options.stream} is empty after sequence ${state.last_seq} (purged?): publishing from the start would repeat events; delete the stream to republish the whole log`,
      );
    }
    const last = await jsm.streams.getMessage(this.options.stream, { seq: state.last_seq });
    const position = last?.header?.get(H.position);
    if (!last || !position || !/^\d+$/.test(position)) {
      throw new OutboxError(
        'NATS_CHECKPOINT_UNREADABLE',
        `the last message of JetStream stream ${this.options.stream} has no ${H.position} header`,
      );
    }
    return { seq: last.seq, position: BigInt(position) };
  }

  private async publishFrom(checkpoint: Checkpoint, signal: AbortSignal): Promise<void> {
    let seq = checkpoint.seq;
    this.published = checkpoint.position;
    for await (const batch of followLog(this.options.store, { after: checkpoint.position, signal })) {
      for (const event of batch) {
        const headers = natsHeaders();
        headers.set(H.position, event.position.toString());
        headers.set(H.eventType, event.type);
        const ack = await this.js.publish(
          eventSubject(this.options.prefix, event.type),
          this.payloadOf(event, headers),
          { msgID: event.eventId, expect: { lastSequence: seq }, headers },
        );
        // Already stored by another publisher: the stream may be further on than this one knows.
        if (ack.duplicate) {
          this.racesLost += 1;
          return;
        }
        seq = ack.seq;
        this.published = event.position;
      }
    }
  }

  /**
   * The wire form of the event, unless it is larger than the server takes in a message (its
   * max_payload; a ClaimAbsorbed carries a whole claim's statements): then the wire form without
   * its data, `dataOmitted: "too-large"` and the same in a header. Published all the same, in its
   * place: the stream must not stop at it (a failed publish would be retried forever, and nothing
   * after it would ever be published); a reader fetches the data from GET /events.
   */
  private payloadOf(event: StoredEvent, headers: MsgHdrs): string {
    const wire = this.options.toWire(event);
    const payload = JSON.stringify(wire);
    const limit = (this.options.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - HEADROOM_BYTES;
    if (Buffer.byteLength(payload) <= limit) return payload;
    headers.set(H.dataOmitted, 'too-large');
    return JSON.stringify({ ...(wire as object), data: null, dataOmitted: 'too-large' });
  }

  private async jsm(): Promise<JetStreamManager> {
    this.manager ??= await jetstreamManager(this.options.connection);
    return this.manager;
  }
}

/** Another publisher stored a message first: read the checkpoint again at once. */
function isLostRace(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
