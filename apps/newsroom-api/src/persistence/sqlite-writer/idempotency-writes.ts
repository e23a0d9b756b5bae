import type { Database } from '@app/event-store';
import type { IdempotencyStore } from '../../idempotency/idempotency.port';
import { SqliteIdempotencyStore } from '../../idempotency/sqlite-idempotency.store';
import type { IdempotencyCall } from './writer-protocol';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Idempotency keys, written by the SQLite writer thread (docs/decisions/0027). On the main thread's
 * connection each reserve and complete was a transaction of its own, fsync'd, that waited (the
 * busy timeout, blocking the event loop) while a group commit held the file's write lock: with a
 * key on every POST the main thread's CPU per request was ~4× and the throughput a third. Here the
 * calls of one turn run in one transaction (one fsync for all, `synchronous = FULL` as the
 * connection's), between the writer's own; each keeps its own answer. If that transaction fails,
 * each call runs again alone, so one bad call answers its own error and no other's.
 */
export class IdempotencyWrites {
  private store: SqliteIdempotencyStore | undefined;
  private queued: { call: IdempotencyCall; reply: (outcome: CallOutcome) => void }[] = [];

  constructor(private readonly db: Database) {}

  submit(call: IdempotencyCall, reply: (outcome: CallOutcome) => void): void {
    this.queued.push({ call, reply });
    if (this.queued.length === 1) queueMicrotask(() => this.flush());
  }

  /** Runs what was submitted (in submission order); the writer also calls it before closing. */
  flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const store = this.open();
    if (batch.length > 1) {
      let values: unknown[] | undefined;
      try {
        values = this.db.transaction(() => batch.map(({ call }) => run(store, call))).immediate();
      } catch {
        values = undefined;
      }
      if (values !== undefined) {
        batch.forEach(({ reply }, i) => reply({ ok: true, value: values[i] }));
        return;
      }
    }
    for (const { call, reply } of batch) {
      try {
        reply({ ok: true, value: run(store, call) });
      } catch (error) {
        reply({ ok: false, error });
      }
    }
  }

  /** Opened on first use: the main thread created the table before the writer started. */
  private open(): SqliteIdempotencyStore {
    this.store ??= new SqliteIdempotencyStore(this.db);
    return this.store;
  }
}

function run(store: SqliteIdempotencyStore, call: IdempotencyCall): unknown {
  switch (call.method) {
    case 'reserve':
      return store.reserveNow(call.entry);
    case 'complete':
      return store.completeNow(call.keyDigest, call.key, call.token, call.response);
    case 'release':
      return store.releaseNow(call.keyDigest, call.key, call.token);
    case 'abandoned':
      return store.abandonedNow();
  }
}

/** The IdempotencyStore the app sees beside a writer thread: every call runs there. */
export class ThreadedIdempotencyStore implements IdempotencyStore {
  constructor(private readonly send: <T>(call: IdempotencyCall) => Promise<T>) {}

  reserve(entry: Parameters<IdempotencyStore['reserve']>[0]): ReturnType<IdempotencyStore['reserve']> {
    return this.send({ method: 'reserve', entry });
  }

  complete(...[keyDigest, key, token, response]: Parameters<IdempotencyStore['complete']>): Promise<boolean> {
    return this.send({ method: 'complete', keyDigest, key, token, response });
  }

  release(...[keyDigest, key, token]: Parameters<IdempotencyStore['release']>): Promise<boolean> {
    return this.send({ method: 'release', keyDigest, key, token });
  }

  abandoned(): ReturnType<IdempotencyStore['abandoned']> {
    return this.send({ method: 'abandoned' });
  }

  close(): Promise<void> {
    // The writer thread is the event store's to close.
    return Promise.resolve();
  }
}
