import type { ReadAllOptions } from '../port/event-store.port';

export const DEFAULT_PAGE_SIZE = 1000;
/** The most one `readAll` returns, whatever is asked: bounds memory for a catching-up projector. */
export const MAX_PAGE_SIZE = 10_000;

/** `readAll` options with defaults applied; `to` stays undefined for "up to the head". */
export interface PageRequest {
  after: bigint;
  to: bigint | undefined;
  limit: number;
}

export function pageRequest(options: ReadAllOptions = {}): PageRequest {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`readAll limit must be a positive integer, got ${String(limit)}`);
  }
  return {
    after: toPosition(options.after ?? 0n, 'after'),
    to: options.to === undefined ? undefined : toPosition(options.to, 'to'),
    limit: Math.min(limit, MAX_PAGE_SIZE),
  };
}

/** Accepts a bigint (or an integer number from loosely typed callers); rejects anything else. */
export function toPosition(value: bigint | number, name: string): bigint {
  if (typeof value === 'bigint') return value;
  if (Number.isSafeInteger(value)) return BigInt(value);
  throw new RangeError(`${name} must be an integer position, got ${String(value)}`);
}

const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Brings an ISO instant to the stored `recordedAt` form (UTC, milliseconds, Z) so that text
 * comparison is time comparison. A date-time without a zone is rejected: JavaScript would read it
 * as server-local time, and "as of 09:00" must not depend on where the server runs.
 */
export function normalizeInstant(iso: string): string {
  if (typeof iso !== 'string' || !(HAS_ZONE.test(iso) || DATE_ONLY.test(iso))) {
    throw new RangeError(`expected an ISO 8601 instant with a zone (Z or ±hh:mm), got ${String(iso)}`);
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`not a valid ISO 8601 instant: ${iso}`);
  return new Date(time).toISOString();
}

/** `fromVersion` checked: a whole number of at least 1 (the default reads the whole stream). */
export function fromVersionOf(options: { fromVersion?: number }): number {
  const from = options.fromVersion ?? 1;
  if (!Number.isSafeInteger(from) || from < 1) {
    throw new RangeError(`fromVersion must be a whole number of at least 1, not ${String(from)}`);
  }
  return from;
}
