import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteHashedPages } from './byte-pages';
import { transferablesOf } from './hash-page';
import type { HashRequest } from './hashed-pages';

/**
 * A hashing thread of `verify` (see hashed-pages.ts): reads the rows of the position ranges it is
 * sent over its own read-only connection, recomputes each event's hash from the stored bytes and
 * compares it with the stored one (byte-pages.ts, hash-page.ts). It judges nothing else: the main thread's
 * verifier chains, orders and builds the tree, from the columns this thread packs for it.
 */
const port = parentPort;
if (port === null) throw new Error('hash-worker runs as a worker thread');
const { file, eventIds } = workerData as { file: string; eventIds: boolean };
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
const hashPages = sqliteHashedPages(db);

port.on('message', (request: HashRequest) => {
  // A range of n positions holds at most n rows.
  const capacity = Number(request.to - request.from);
  const page = hashPages(request.from, request.to, capacity, eventIds);
  port.postMessage(page, transferablesOf(page));
});
