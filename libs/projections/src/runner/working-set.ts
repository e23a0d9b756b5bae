import type { ReadModelChanges, ReadModelReader } from '../newsroom.projection';
import type { AsyncReadModelBatch } from '../port/read-model-store.port';

/** A lookup the synchronous code asked for and the cache could not answer. */
interface Miss {
  method: string;
  args: unknown[];
}

/** A pass's misses by cache key: each lookup loaded once however often it was asked. */
type Misses = Map<string, Miss>;

/** Enough for any lookup that depends on lookups: each pass loads what the previous one missed. */
const MAX_PASSES = 32;
/** Rounds of a batch's prefetch: a claim, the statements and sources its fold asks for, a last look. */
const PREFETCH_ROUNDS = 3;

const keyOf = (method: string, args: readonly unknown[]) => `${method}\u0000${JSON.stringify(args)}`;

/** What a row read back from the database would be: JSON drops `undefined` keys, as a store does. */
const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Loads one lookup by calling the async method of the same name on the source. */
export type Load = (method: string, args: unknown[]) => Promise<unknown>;

/**
 * Loads many lookups of one method at once (one query on PostgreSQL), answering in the order
 * asked, or `undefined` when the store cannot for that method (then each is loaded alone).
 */
export type LoadMany = (method: string, argsList: unknown[][]) => Promise<unknown[] | undefined>;

/** A store that can answer several lookups of one method in one round trip. */
interface ManyLookups {
  lookupMany(method: string, argsList: unknown[][]): Promise<unknown[] | undefined>;
}

const hasLookupMany = (source: object): source is ManyLookups =>
  typeof (source as Partial<ManyLookups>).lookupMany === 'function';

export function loaderOf(source: object): Load {
  return async (method, args) => {
    const fn = (source as Record<string, unknown>)[method];
    if (typeof fn !== 'function') {
      throw new Error(
        `the read-model store has no method ${method}(): every ReadModelReader method needs an async twin of the same name on each asynchronous store`,
      );
    }
    const answer: unknown = await (fn as (...a: unknown[]) => unknown).apply(source, args);
    return answer;
  };
}

export function manyLoaderOf(source: object): LoadMany | undefined {
  return hasLookupMany(source) ? (method, argsList) => source.lookupMany(method, argsList) : undefined;
}

/**
 * Answers synchronous lookups from a cache, generically over method names: a miss is recorded
 * and answered with `undefined`. `run` repeats a synchronous computation until it completes
 * without a miss, loading each pass's misses in between. A pass that missed may throw or return
 * nonsense (it saw `undefined` where a list was due): both are discarded.
 */
export class LookupCache {
  private readonly answers = new Map<string, unknown>();

  constructor(
    private readonly load: Load,
    private readonly loadMany?: LoadMany,
  ) {}

  async run<R extends object, T>(compute: (reader: R) => T, beforeLoad?: () => Promise<void>): Promise<T> {
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const misses: Misses = new Map();
      const reader = this.reader<R>(misses);
      let result: T | undefined;
      let failure: unknown;
      let failed = false;
      try {
        result = compute(reader);
      } catch (error) {
        failed = true;
        failure = error;
      }
      if (misses.size === 0) {
        if (failed) throw failure;
        return result as T;
      }
      await beforeLoad?.();
      await this.loadAll([...misses.values()]);
    }
    throw new Error(`a projection still missed lookups after ${MAX_PASSES} passes`);
  }

  /**
   * Runs each computation once against the cache, discarding what they return or throw, and loads
   * what they missed, all of them together: a method's misses in one `loadMany` where the store
   * has it. Repeats while they miss something new, at most `rounds` times. What it loads is only
   * what a later `run` would have loaded on its own (see WorkingSet.prefetch).
   */
  async prefetch<R extends object>(
    computes: readonly ((reader: R) => unknown)[],
    rounds: number,
    beforeLoad?: () => Promise<void>,
  ): Promise<void> {
    let pending = computes;
    for (let round = 0; round < rounds && pending.length > 0; round += 1) {
      const misses: Misses = new Map();
      const missed: ((reader: R) => unknown)[] = [];
      for (const compute of pending) {
        // Whether this computation missed, even what another one missed first (asked once).
        const asked = { missed: false };
        try {
          compute(this.reader<R>(misses, asked));
        } catch {
          // A pass that missed may throw; one that did not is redone by `run`, which reports it.
        }
        if (asked.missed) missed.push(compute);
      }
      if (misses.size === 0) return;
      await beforeLoad?.();
      await this.loadAll([...misses.values()]);
      pending = missed;
    }
  }

  /** One round trip per method where the store loads many at once, else one per lookup. */
  private async loadAll(misses: readonly Miss[]): Promise<void> {
    // One at a time: a batch's loads share its transaction's single connection anyway.
    if (this.loadMany === undefined || misses.length === 1) {
      for (const miss of misses) this.set(miss.method, miss.args, await this.load(miss.method, miss.args));
      return;
    }
    const byMethod = new Map<string, unknown[][]>();
    for (const miss of misses) {
      const list = byMethod.get(miss.method) ?? [];
      list.push(miss.args);
      byMethod.set(miss.method, list);
    }
    for (const [method, argsList] of byMethod) {
      const answers = argsList.length > 1 ? await this.loadMany(method, argsList) : undefined;
      if (answers === undefined) {
        for (const args of argsList) this.set(method, args, await this.load(method, args));
      } else argsList.forEach((args, i) => this.set(method, args, answers[i]));
    }
  }

  set(method: string, args: readonly unknown[], value: unknown): void {
    this.answers.set(keyOf(method, args), value);
  }

  /** Forgets every cached answer of these methods: they are loaded again when next asked. */
  forget(method: string): void {
    const prefix = `${method}\u0000`;
    for (const key of this.answers.keys()) if (key.startsWith(prefix)) this.answers.delete(key);
  }

  private reader<R extends object>(misses: Misses, asked?: { missed: boolean }): R {
    return new Proxy({} as R, {
      get: (_target, property) => {
        if (typeof property !== 'string') return undefined;
        return (...args: unknown[]) => {
          const key = keyOf(property, args);
          if (this.answers.has(key)) return this.answers.get(key);
          if (asked) asked.missed = true;
          if (!misses.has(key)) misses.set(key, { method: property, args });
          return undefined;
        };
      },
    });
  }
}

/**
 * How each kind of change shows in the cached answers of the reader's methods. A change either
 * updates the answer it determines exactly (a record by id) or makes every cached answer of a
 * method it may affect be forgotten; a forgotten answer is then read again from the batch's
 * transaction, after the pending writes are flushed into it. Adding a field to ReadModelChanges
 * makes this object fail to compile until the field says what it touches; an unlisted reader
 * method is never kept across a change it might depend on (see `alwaysForget`).
 */
const SHOWS_IN: { [F in keyof ReadModelChanges]: (rows: ReadModelChanges[F], cache: LookupCache) => void } = {
  sources: (sources, cache) => {
    if (sources.length > 0) cache.forget('sourcesAffiliatedWith');
    for (const source of sources) cache.set('source', [source.sourceId], asStored(source));
  },
  claims: (claims, cache) => {
    for (const { record } of claims) cache.set('claim', [record.claimId], asStored(record));
  },
  claimSources: (rows, cache) => {
    if (rows.length > 0) cache.forget('claimsWithSources');
  },
  statements: (rows, cache) => {
    if (rows.length > 0) cache.forget('liveStatementsOf');
    for (const { claimId, statement } of rows)
      cache.set('statement', [claimId, statement.statementId], asStored(statement));
  },
  // Read back only by queries (cut reads), never by the projection.
  snapshots: () => undefined,
};

/** Reader methods whose answers SHOWS_IN maintains; any other is forgotten after every change. */
const MAINTAINED: ReadonlySet<string> = new Set<keyof ReadModelReader>([
  'source',
  'claim',
  'claimsWithSources',
  'sourcesAffiliatedWith',
  'statement',
  'liveStatementsOf',
]);

/**
 * The projection's view of the read models during one batch on an asynchronous store: the batch
 * so far applied in memory on top of what was loaded from the transaction. Changes are written
 * lazily (before the next load, and at the end), so a batch of events that find everything in
 * memory costs one write per kind of row.
 */
export class WorkingSet {
  private readonly cache: LookupCache;
  private pending: ReadModelChanges[] = [];
  private readonly unmaintained = new Set<string>();

  constructor(private readonly batch: AsyncReadModelBatch) {
    this.cache = new LookupCache(loaderOf(batch), manyLoaderOf(batch));
  }

  /**
   * Loads, before the fold, what a whole batch of events will look up: each event's projection
   * runs against what is loaded so far (answers discarded), and what they all missed is loaded
   * together, a few rounds (a claim, then the statements its fold asks for). Round trips per batch
   * instead of per event. Sound because a prefetched answer is the row as the batch found it, which
   * is what a lazy load would read too unless an earlier event of the batch changed it, and a
   * change replaces or forgets the cached answers it touches (SHOWS_IN, `unmaintained`) before any
   * later event reads them. Rows it loads that the fold then does not need cost only the reading.
   */
  prefetch(computes: readonly ((reader: ReadModelReader) => ReadModelChanges)[]): Promise<void> {
    return this.cache.prefetch<ReadModelReader>(
      computes.map((compute) => (reader: ReadModelReader) => compute(this.watching(reader))),
      PREFETCH_ROUNDS,
      () => this.flush(),
    );
  }

  project(compute: (reader: ReadModelReader) => ReadModelChanges): Promise<ReadModelChanges> {
    return this.cache.run<ReadModelReader, ReadModelChanges>(
      (reader) => compute(this.watching(reader)),
      () => this.flush(),
    );
  }

  /** Applies one event's changes to the working set; they are written with the batch. */
  record(changes: ReadModelChanges): void {
    for (const field of Object.keys(SHOWS_IN) as (keyof ReadModelChanges)[]) {
      (SHOWS_IN[field] as (rows: unknown, cache: LookupCache) => void)(changes[field], this.cache);
    }
    for (const method of this.unmaintained) this.cache.forget(method);
    this.pending.push(changes);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    await this.batch.apply(pending);
  }

  /** Notes which reader methods outside MAINTAINED the projection uses, to forget them on change. */
  private watching(reader: ReadModelReader): ReadModelReader {
    return new Proxy(reader, {
      get: (target, property, receiver) => {
        if (typeof property === 'string' && !MAINTAINED.has(property)) this.unmaintained.add(property);
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  }
}

/**
 * Runs synchronous code that looks records up (deriveClaimView's source lookup, say) against a
 * store: directly when the store is synchronous, else by loading what it misses, pass by pass.
 */
export function withLookups<R extends object, T>(
  store: object & { synchronous?: boolean },
  compute: (reader: R) => T,
): Promise<T> {
  if (store.synchronous === true) return Promise.resolve(compute(store as R));
  return new LookupCache(loaderOf(store)).run(compute);
}
