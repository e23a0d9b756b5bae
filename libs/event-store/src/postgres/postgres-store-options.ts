import type { EventStoreOptions } from '../core/appended-listeners';

/** The letters (c), (d), (e) refer to postgres-event-store.ts and postgres-group-commit.ts. */
export interface PostgresEventStoreOptions extends EventStoreOptions {
  /**
   * The schema holding `events` (created by `migrate()` if missing). Defaults to the connection's
   * current schema (the first existing entry of its search_path, usually `public`).
   */
  schema?: string;
  /** End the pool in `close()`. Off by default: whoever created the pool ends it. */
  ownsPool?: boolean;
  /** LISTEN for other processes' appends once `onAppended` has a listener (d). Default true. */
  listen?: boolean;
  /**
   * NOTIFY other processes of each commit (d). Default true. It costs about 0.2 ms per COMMIT
   * (docs/decisions/0005); turn it off only where no other process reads this log.
   */
  notify?: boolean;
  /** Receives errors of the LISTEN connection (it reconnects by itself); default: a process warning. */
  onWakeUpError?: (error: unknown) => void;
  /** First delay before the LISTEN client reconnects, doubling up to 30 s. Default 250 ms. */
  reconnectDelayMs?: number;
  /**
   * Write each group commit in one round trip, planned against what this process knows of the
   * log and checked under the lock by `append_events` (e). Default true; off, every batch takes
   * the lock and reads first (four round trips), as imports always do.
   */
  oneRoundTrip?: boolean;
}
