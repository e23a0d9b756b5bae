/**
 * Runs synchronous store work behind the async port: a throw becomes a rejected promise, never a
 * synchronous exception, so callers can rely on `await` / `.catch` alone.
 */
export function asPromise<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
