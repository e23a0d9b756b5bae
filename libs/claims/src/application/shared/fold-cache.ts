/**
 * Folded stream states kept between commands, so a command on a long stream reads only the events
 * appended since (the stream is immutable: a state at version v stays right forever). Another
 * process's appends are simply read as newer versions. Least recently used states are dropped.
 */
export class FoldCache {
  private readonly entries = new Map<string, { decider: object; version: number; state: unknown }>();

  constructor(private readonly capacity = 10_000) {}

  get<S>(streamId: string, decider: object): { version: number; state: S } | undefined {
    const entry = this.entries.get(streamId);
    // A stream is folded by one decider; another one's state is no state for this one.
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return { version: entry.version, state: entry.state as S };
  }

  set(streamId: string, decider: object, version: number, state: unknown): void {
    const current = this.entries.get(streamId);
    // Concurrent commands may fold the same stream: never replace a newer state with an older one.
    if (current && current.decider === decider && current.version > version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { decider, version, state });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
