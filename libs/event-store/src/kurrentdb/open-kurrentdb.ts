import type { Clock } from '../port/event-store.port';
import type { ListenerErrorHandler } from '../core/appended-listeners';
import { KurrentDbUnavailableError } from './kurrentdb-error-classes';
import type { KurrentDbEventStore } from './kurrentdb-event-store';

export interface OpenKurrentDbOptions {
  /** A KurrentDB connection string, e.g. `kurrentdb://admin:changeit@db:2113?tls=true` (KURRENTDB_URL). */
  url: string;
  clock: Clock;
  /** Names this log on the server (KURRENTDB_STREAM_PREFIX); default `newsroom`. */
  prefix?: string;
  onListenerError?: ListenerErrorHandler;
  /** Told when the onAppended subscription to `$all` drops; it resubscribes by itself. */
  onSubscriptionError?: (error: Error) => void;
}

/**
 * The KurrentDB store as the API and the auditor open it: its own client (disposed on close), the
 * position log and its identity created if missing. Fails here, at start, when the server cannot
 * be reached, rather than at the first request.
 */
export async function openKurrentDbEventStore(options: OpenKurrentDbOptions): Promise<KurrentDbEventStore> {
  // Loaded here rather than at the top: the client and its native module (~100 ms) load only in
  // processes that open a KurrentDB store, not in every importer of @app/event-store.
  const [{ KurrentDBClient }, { KurrentDbEventStore: Store }] = await Promise.all([
    import('@kurrent/kurrentdb-client'),
    import('./kurrentdb-event-store'),
  ]);
  const client = KurrentDBClient.connectionString(options.url);
  const store = new Store(client, options.clock, {
    prefix: options.prefix,
    ownsClient: true,
    onListenerError: options.onListenerError,
    onSubscriptionError: options.onSubscriptionError,
  });
  try {
    await store.createLog();
  } catch (error) {
    await store.close();
    if (error instanceof KurrentDbUnavailableError) {
      throw new KurrentDbUnavailableError(
        `${redactUrl(options.url)} (${error.message}); check KURRENTDB_URL and that the server (25.1 or later) is running`,
        { cause: error },
      );
    }
    throw error;
  }
  return store;
}

/** The connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
