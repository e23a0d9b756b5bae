import type { GroupCommitTuning } from './group-commit';

/** What happens to an exception thrown by an `onAppended` listener. */
export type ListenerErrorHandler = (error: unknown) => void;

/** Default: make the failure visible without failing the append that has already committed. */
const warnListenerError: ListenerErrorHandler = (error) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(`event store onAppended listener failed: ${detail}`, 'EventStoreListenerWarning');
};

/**
 * The `onAppended` fan-out shared by the adapters. Called after commit, so a listener that throws
 * must not turn a durable append into a reported failure (the caller would retry and duplicate).
 */
export class AppendedListeners {
  private readonly listeners = new Set<(head: bigint) => void>();

  constructor(private readonly onError: ListenerErrorHandler = warnListenerError) {}

  add(listener: (head: bigint) => void): () => void {
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const entry = (head: bigint): void => listener(head);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  notify(head: bigint): void {
    // A copy: a listener may unsubscribe (itself or another) while we iterate.
    for (const listener of [...this.listeners]) {
      try {
        listener(head);
      } catch (error) {
        this.reportSafely(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }

  private reportSafely(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // The error handler itself failed; the append has committed and must still succeed.
    }
  }
}

/** Options both adapters accept after their required constructor arguments. */
export interface EventStoreOptions {
  /** Receives exceptions thrown by `onAppended` listeners; defaults to a process warning. */
  onListenerError?: ListenerErrorHandler;
  /** Tuning of the group commit (SQLite and PostgreSQL); the defaults suit the API. */
  groupCommit?: GroupCommitTuning;
}
