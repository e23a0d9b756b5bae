/**
 * The one port every event store adapter implements (memory, SQLite, later PostgreSQL and KurrentDB).
 * Positions are bigint: some stores exceed 2^53. They are decimal strings at the HTTP edge.
 */

/** What the application hands to `append`. The store adds versions, positions, time and hashes. */
export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventContext;
}

/** Who asked, and why, for every event: supplied by the command handler. */
export interface EventContext {
  /** The authenticated principal's name, never a secret. */
  principal: string;
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
}

export interface StoredEventMetadata extends EventContext {
  /** Assigned by the store from the injected clock at commit, never by the client. ISO 8601 UTC. */
  recordedAt: string;
  /** SHA-256 (hex) of the canonical form of this event, chained to `prevHash`. */
  hash: string;
  /** The hash of the previous event in the same stream; 64 zeros for the first. */
  prevHash: string;
}

export interface StoredEvent {
  eventId: string;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Global position in the log, strictly increasing with commit order; starts at 1. */
  position: bigint;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: StoredEventMetadata;
}

/**
 * `number`: the stream must be exactly at that version (0 = must not exist yet).
 * `'any'`: append whatever the version.
 */
export type ExpectedVersion = number | 'any';

export interface AppendResult {
  /** The stream's version after the append (the last appended event's version). */
  streamVersion: number;
  /** The global position of the last appended event. */
  position: bigint;
  events: StoredEvent[];
}

export interface ReadStreamOptions {
  /** Only events at or below this global position (historical reads). */
  toPosition?: bigint;
  /** Only events from this stream version on (1 = all): a reader that has folded up to v asks for v + 1. */
  fromVersion?: number;
}

export interface ReadAllOptions {
  /** Exclusive lower bound; 0n (the default) reads from the beginning. */
  after?: bigint;
  /** Inclusive upper bound. */
  to?: bigint;
  /** Page size; adapters cap it. */
  limit?: number;
}

/**
 * Which log this is. `logId` is created with the log (a UUID written by the first migration) and
 * never changes; `firstEventHash` is the hash of the event at position 1, null while the log is
 * empty. Read models record the identity they were built from: a log swapped under them (a fresh
 * database, a restored backup, an import) no longer matches, and they are rebuilt.
 */
export interface LogIdentity {
  logId: string;
  firstEventHash: string | null;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws `WrongExpectedVersionError` when the stream is
   * not at `expected`, and `DuplicateEventError` for an event id already stored. Concurrent appends
   * may share one durable transaction (group commit), but each is checked, and fails, on its own;
   * appends issued together are checked in call order.
   */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /** A stream's events in version order; empty when it does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** One page of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** The last committed position; 0n for an empty log. */
  headPosition(): Promise<bigint>;
  /** The log's identity (see LogIdentity). */
  identity(): Promise<LogIdentity>;
  /** The position of the last event recorded at or before `recordedAt` (ISO); 0n if none. */
  positionAt(recordedAt: string): Promise<bigint>;
  /**
   * Calls the listener after each commit with the new head: once per group commit (several
   * appends may share one, docs/decisions/0005), before the appends' promises resolve; heads
   * announced increase. Stores shared across processes also announce other processes' commits
   * where they can (PostgreSQL: LISTEN/NOTIFY). Returns an unsubscribe function. Consumers read
   * with `readAll` from their checkpoint, so a missed or merged signal loses nothing.
   */
  onAppended(listener: (head: bigint) => void): () => void;
  close(): Promise<void>;
  /**
   * True for a store one process writes (an embedded file, memory); absent or false for stores
   * replicas share (PostgreSQL, KurrentDB). A policy hint, never a correctness one: on a shared
   * store a process that decides on its cached state would win every race against one that reads
   * first, so commands read their stream before deciding there (docs/decisions/0032).
   */
  readonly singleProcess?: boolean;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
  }
}

export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';
  readonly code = 'DUPLICATE_EVENT';
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored`);
  }
}

/** The injected clock: the store reads `recordedAt` from it, so tests can fix time. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };

/**
 * Restores events exactly as another store recorded them (ids, versions, times, hashes and
 * positions), for `audit import`. Kept off `EventStore`: the API must never write history it did
 * not record itself. Each batch is re-verified (hash, chain, order) and stored atomically.
 */
export interface EventImporter {
  importRecorded(events: readonly StoredEvent[]): Promise<void>;
}

export function isEventImporter(store: unknown): store is EventImporter {
  return typeof (store as Partial<EventImporter> | null)?.importRecorded === 'function';
}
