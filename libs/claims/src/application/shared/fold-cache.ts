interface Entry {
  decider: object;
  version: number;
  state: unknown;
  /** Commands still to read the stream before deciding (after the cached state proved stale). */
  skip: number;
  /** The last `skip` given: doubled by each miss in a row, cleared by a hit. */
  penalty: number;
}

/** The most commands that read the stream first after misses in a row. */
const MAX_PENALTY = 32;

/**
 * Folded stream states kept between commands, so a command on a long stream reads only the events
 * appended since (the stream is immutable: a state at version v stays right forever). Another
 * process's appends are simply read as newer versions. Least recently used states are dropped.
 *
 * It also says whether a command may decide on the cached state without reading the stream first
 * (`trusted`): yes until that state has proved stale (another process appended to the stream:
 * `missed`), then not for the next 1, 2, 4… commands on the stream, so streams that several
 * processes write cost at most a wasted append now and then, and one process's streams never read.
 */
export class FoldCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 10_000) {}

  get<S>(streamId: string, decider: object): { version: number; state: S } | undefined {
    const entry = this.entry(streamId, decider);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return { version: entry.version, state: entry.state as S };
  }

  set(streamId: string, decider: object, version: number, state: unknown): void {
    const current = this.entry(streamId, decider);
    // Concurrent commands may fold the same stream: never replace a newer state with an older one.
    if (current && current.version > version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, {
      decider,
      version,
      state,
      skip: current?.skip ?? 0,
      penalty: current?.penalty ?? 0,
    });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Whether the next command may decide on the cached state as it is (and count on the append's check). */
  trusted(streamId: string, decider: object): boolean {
    const entry = this.entry(streamId, decider);
    return entry !== undefined && entry.skip === 0;
  }

  /** A command read the stream before deciding: one fewer to go before the cache is trusted again. */
  readFirst(streamId: string, decider: object): void {
    const entry = this.entry(streamId, decider);
    if (entry && entry.skip > 0) entry.skip -= 1;
  }

  /** A decision on the cached state was appended: it was current. */
  hit(streamId: string, decider: object): void {
    const entry = this.entry(streamId, decider);
    if (entry) entry.penalty = 0;
  }

  /** The cached state was stale: the next commands read the stream first, twice as many as last time. */
  missed(streamId: string, decider: object): void {
    const entry = this.entry(streamId, decider);
    if (!entry) return;
    entry.penalty = Math.min(MAX_PENALTY, Math.max(1, entry.penalty * 2));
    entry.skip = entry.penalty;
  }

  get size(): number {
    return this.entries.size;
  }

  private entry(streamId: string, decider: object): Entry | undefined {
    const entry = this.entries.get(streamId);
    // A stream is folded by one decider; another one's state is no state for this one.
    return entry && entry.decider === decider ? entry : undefined;
  }
}
