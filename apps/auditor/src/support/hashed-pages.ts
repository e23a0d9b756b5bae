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
 * A row the packed columns cannot carry (its text unreadable by the text path, or a hash column that
 * is not 64 lowercase hex digits: only an edited file has one), as the verifier's text path takes
 * it: the texts and the hash recomputed from them, or only the position (then the main thread
 * verifies it parsed, through the store).
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

// What a hashing thread found for a row (HashedPage.kinds).
/** The stored text recomputes to the stored hash. */
export const MATCHED = 0;
/** It does not (or the text path declined): the verifier decides, with the definition if need be. */
export const MISMATCHED = 1;
/** Carried as a HashedRow in `odd`. */
export const ODD = 2;

/**
 * One range as a hashing thread sends it back: columns, not an object and hex strings per row, so
 * the main thread (which merges, chains and builds the tree) spends nothing on what it only
 * compares. The typed arrays are transferred, not copied.
 */
export interface HashedPage {
  from: bigint;
  count: number;
  kinds: Uint8Array;
  positions: BigInt64Array;
  versions: Float64Array;
  /** 64 bytes a row: the stored hash, then the previous hash (rows not ODD). */
  hashes: Uint8Array;
  streamIds: string[];
  recordedAts: string[];
  /** Only when the pass asked for them (a proof looks for one event). */
  eventIds: string[] | undefined;
  /** The ODD rows, in row order. */
  odd: HashedRow[];
  /** The Merkle root of the page's leaves, when it is full, has no ODD row and a power-of-two size. */
  subtreeRoot?: Uint8Array;
}

/**
 * Positions per request: a few MB of text read and hashed per message. A power of two, so the
 * page of a dense log is a complete subtree of its Merkle tree (hash-page.ts sends its root).
 */
const SPAN = 4_096n;
/** Requests in flight per thread, so a thread never waits for the main thread to ask. */
const DEPTH = 2;
/** More threads than this only contend with the main thread, which merges and builds the tree. */
const MAX_THREADS = 3;

/** Built (dist) only: under ts-jest and friends the in-thread path runs instead. */
const WORKER_FILE = join(__dirname, 'hash-worker.js');

/**
 * How many hashing threads to use: one per core (the main thread only merges packed pages, chains
 * and builds the tree: about a third of a hashing thread's work), none on one core or where the
 * worker is not built. On the 2-core benchmark machine, two.
 */
export function hashingThreads(requested?: number): number {
  if (!existsSync(WORKER_FILE)) return 0;
  const cores = availableParallelism();
  return Math.max(0, Math.min(requested ?? (cores > 1 ? cores : 0), MAX_THREADS));
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
  options: { eventIds: boolean },
): AsyncGenerator<HashedPage> {
  const pool = Array.from({ length: threads }, () => startThread(file, options.eventIds));
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
      if (page.count > 0) {
        yield page;
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

function startThread(file: string, eventIds: boolean): HashingThread {
  // A thread holds a few pages of text at a time: small heaps keep its memory to that.
  const worker = new Worker(WORKER_FILE, {
    workerData: { file, eventIds },
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
