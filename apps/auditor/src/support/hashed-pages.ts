import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Positions (from, to] for one hashing thread to read and hash. */
export interface HashRequest {
  from: bigint;
  to: bigint;
}

/**
 * One row as a hashing thread returns it: the fields the verifier needs and the hash recomputed from
 * the stored text (undefined where the text path declined), or only the position of a row the text
 * path cannot read (the main thread verifies that one parsed, through the store).
 */
export type HashedRow =
  | [position: bigint]
  | [
      position: bigint,
      eventId: string,
      streamId: string,
      streamVersion: number,
      recordedAt: string,
      hash: string,
      prevHash: string,
      recomputed: string | undefined,
    ];

interface HashedPage {
  from: bigint;
  rows: HashedRow[];
}

/** Positions per request: a few MB of text read and hashed per message. */
const SPAN = 4_000n;
/** Requests in flight per thread, so a thread never waits for the main thread to ask. */
const DEPTH = 2;
/** More threads than this only contend with the main thread, which merges and builds the tree. */
const MAX_THREADS = 3;

/** Built (dist) only: under ts-jest and friends the in-thread path runs instead. */
const WORKER_FILE = join(__dirname, 'hash-worker.js');

/**
 * How many hashing threads to use: one core fewer than the machine has (the main thread is busy
 * too), none on one core or where the worker is not built. On the 2-core benchmark machine, one.
 */
export function hashingThreads(requested?: number): number {
  if (!existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(requested ?? availableParallelism() - 1, MAX_THREADS));
}

interface HashingThread {
  worker: Worker;
  waiting: { resolve: (page: HashedPage) => void; reject: (error: unknown) => void }[];
}

/**
 * The log's rows in position order, page by page, hashed ahead by `threads` worker threads that each
 * read their own position ranges of the SQLite file. The main thread only merges pages in order and
 * verifies, so recomputing hashes (most of verify's work) runs on every core. Memory stays bounded:
 * at most `threads * DEPTH` pages are in flight. It ends at the first empty range at or beyond the
 * head (asked again there, so events appended meanwhile are read too).
 */
export async function* hashedPages(
  file: string,
  threads: number,
  head: () => Promise<bigint>,
): AsyncGenerator<HashedRow[]> {
  const pool = Array.from({ length: threads }, () => startThread(file));
  const inFlight = new Map<bigint, Promise<HashedPage>>();
  let next = 0n;
  let turn = 0;
  const dispatch = (): void => {
    const thread = pool[turn % pool.length] as HashingThread;
    turn += 1;
    inFlight.set(next, ask(thread, { from: next, to: next + SPAN }));
    next += SPAN;
  };
  try {
    for (let i = 0; i < threads * DEPTH; i += 1) dispatch();
    let last = await head();
    for (let from = 0n; ; from += SPAN) {
      const page = await (inFlight.get(from) as Promise<HashedPage>);
      inFlight.delete(from);
      dispatch();
      if (page.rows.length > 0) {
        yield page.rows;
        continue;
      }
      // An empty range inside the log is a hole (deleted rows): the verifier reports it.
      if (from + SPAN < last) continue;
      last = await head();
      if (from + SPAN >= last) return;
    }
  } finally {
    for (const pending of inFlight.values()) pending.catch(() => undefined);
    await Promise.all(pool.map((thread) => thread.worker.terminate()));
  }
}

function startThread(file: string): HashingThread {
  // A thread holds a few pages of text at a time: small heaps keep its memory to that.
  const worker = new Worker(WORKER_FILE, {
    workerData: { file },
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 48 },
  });
  const thread: HashingThread = { worker, waiting: [] };
  worker.on('message', (page: HashedPage) => thread.waiting.shift()?.resolve(page));
  worker.on('error', (error) => {
    for (const waiting of thread.waiting.splice(0)) waiting.reject(error);
  });
  return thread;
}

/** A thread answers its requests in the order they were sent. */
function ask(thread: HashingThread, request: HashRequest): Promise<HashedPage> {
  return new Promise((resolve, reject) => {
    thread.waiting.push({ resolve, reject });
    thread.worker.postMessage(request);
  });
}
