import { Worker } from 'node:worker_threads';
import type { Database } from './sqlite-database';

export interface WalCheckpointerOptions {
  /** How often the worker copies the WAL back into the database file. */
  everyMs?: number;
  /**
   * The main connection's own automatic checkpoint, kept as a backstop should the worker fall
   * behind: at this many WAL pages (4 KB each) it checkpoints inline as before.
   */
  backstopPages?: number;
}

/** PASSIVE never waits for readers or the writer: it copies what it can and returns. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 0 });
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop (issue 7). better-sqlite3 runs a checkpoint inside whichever
 * commit takes the WAL past `wal_autocheckpoint` pages: it copies those pages into the database
 * file and fsyncs it, and under wrk that froze every request for ~20 ms about four times a second.
 * Here a worker thread with its own connection to the same file checkpoints every `everyMs`; the
 * main connection's automatic checkpoint stays on at a higher threshold in case it falls behind.
 * Only for a database file in WAL mode; the log's commits keep their own fsync.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | undefined;

  constructor(db: Database, onError: (message: string) => void, options: WalCheckpointerOptions = {}) {
    db.pragma(`wal_autocheckpoint = ${options.backstopPages ?? 10_000}`);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        path: db.name,
        everyMs: options.everyMs ?? 100,
      },
    });
    this.worker.on('message', (message: string) => onError(message));
    this.worker.on('error', (error) => onError(String(error)));
    // Never what keeps the process alive.
    this.worker.unref();
  }

  /** True for a database this can checkpoint: a file, not an in-memory database. */
  static applies(db: Database): boolean {
    return !db.memory && db.name !== '' && db.name !== ':memory:';
  }

  /** A last checkpoint, then the worker's connection closes. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
