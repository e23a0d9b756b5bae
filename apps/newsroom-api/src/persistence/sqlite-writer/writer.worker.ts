import { parentPort, workerData } from 'node:worker_threads';
import { EventCodec } from '@app/claims';
import { EventStoreClosedError, openSqliteDatabase, SqliteEventStore, systemClock } from '@app/event-store';
import { ProjectionRunner, SqliteReadModels } from '@app/projections';
import { IdempotencyWrites } from './idempotency-writes';
import { MessageOutbox, unbatch } from './message-outbox';
import { type FromWriter, type ToWriter, toWire, type WriterStart } from './writer-protocol';

/**
 * The SQLite writer thread (docs/decisions/0025): it owns the connection that writes the file —
 * the log's group commits (SqliteEventStore, unchanged: one fsync'd transaction per batch) and the
 * projection batches that follow them (ProjectionRunner over SqliteReadModels, unchanged) — so
 * neither the fsync nor the inline WAL checkpoints nor the projection's fold stop the API's event
 * loop. The main thread reads the same file on a connection of its own (WAL: readers see every
 * committed transaction) and learns of commits and projected positions from the messages below.
 */
const port = parentPort;
if (port === null) throw new Error('writer.worker runs as a worker thread');
/**
 * Flushed once the microtasks of the current turn have run: a group commit's "appended" and its
 * replies (resolved together) go out as one or two messages, before the projection's next turn.
 */
const outbox = new MessageOutbox<FromWriter>(
  (batch) => port.postMessage(batch),
  (flush) => queueMicrotask(flush),
);
const post = (message: FromWriter): void => outbox.push(message);

const { path } = workerData as WriterStart;
const db = openSqliteDatabase(path);
const store = new SqliteEventStore(db, systemClock, {
  onListenerError: (error) => post({ kind: 'log', level: 'error', message: describe(error) }),
});
const codec = new EventCodec();
const runner = new ProjectionRunner(store, new SqliteReadModels(db), (stored) => codec.decode(stored), {
  warn: (message) => post({ kind: 'log', level: 'warn', message }),
});
const keys = new IdempotencyWrites(db);
let closing = false;
/** Appends accepted and not yet answered: close() waits for them. */
const inFlight = new Set<Promise<unknown>>();

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Projects up to the head and says where it got; a failure is logged and retried on the next commit. */
function project(): void {
  runner.catchUp().then(
    (position) => post({ kind: 'projected', position }),
    (error: unknown) =>
      post({ kind: 'log', level: 'error', message: `projection failed: ${describe(error)}` }),
  );
}

async function start(): Promise<void> {
  store.migrate();
  if (await runner.ensureCurrent()) {
    post({
      kind: 'log',
      level: 'warn',
      message: 'read models were built by older projection code: rebuilt from the log',
    });
  }
  const projected = await runner.catchUp();
  // Every commit: tell the main thread (its onAppended listeners), then project it.
  store.onAppended((head) => {
    post({ kind: 'appended', head });
    project();
  });
  port!.on('message', unbatch(onMessage));
  post({ kind: 'ready', projected });
}

function onMessage(message: ToWriter): void {
  switch (message.kind) {
    case 'append': {
      const { id } = message;
      if (closing) {
        post({ kind: 'append-failed', id, error: toWire(new EventStoreClosedError()) });
        return;
      }
      const done = store.append(message.streamId, message.events, message.expected).then(
        (result) => {
          // Committed: the projection this commit started folds these instead of reading them back.
          runner.handOver(result.events);
          post({ kind: 'append-done', id, result });
        },
        (error: unknown) => post({ kind: 'append-failed', id, error: toWire(error) }),
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
      return;
    }
    case 'idempotency': {
      // Not refused while closing: a request that appended still records its answer under its key.
      const { id } = message;
      keys.submit(message.call, (outcome) =>
        post(
          outcome.ok
            ? { kind: 'call-done', id, value: outcome.value }
            : { kind: 'call-failed', id, error: toWire(outcome.error) },
        ),
      );
      return;
    }
    case 'catch-up':
      project();
      return;
    case 'close':
      void close();
  }
}

/** Writes what was accepted and projects it (its callers are waiting for that), then closes the file. */
async function close(): Promise<void> {
  closing = true;
  await Promise.all(inFlight);
  await runner.catchUp().then(
    (position) => post({ kind: 'projected', position }),
    (error: unknown) =>
      post({ kind: 'log', level: 'error', message: `projection failed: ${describe(error)}` }),
  );
  keys.flush();
  await store.close();
  if (db.open) db.close();
  post({ kind: 'closed' });
  outbox.flush();
  port!.close();
}

start().catch((error: unknown) => {
  post({ kind: 'failed-to-start', error: toWire(error) });
  outbox.flush();
  if (db.open) db.close();
  port.close();
});
