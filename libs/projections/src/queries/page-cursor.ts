import { DomainError } from '@app/claims';

/**
 * Cursors are opaque to clients: a kind tag and the key of the last item of the page, base64url.
 * The tag keeps a claims cursor from being replayed against sources, and the reverse.
 */
const encode = (kind: string, key: string): string =>
  Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');

export function decodeCursor(kind: string, cursor: string, key: RegExp): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const value = text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : undefined;
  if (value === undefined || !key.test(value)) {
    throw new DomainError('INVALID_FIELD', 'the cursor is not one this API issued', 'cursor');
  }
  return value;
}

/** `rows` holds one row more than a page when there is a next one: no count query needed. */
export function paged<T>(
  rows: readonly T[],
  limit: number,
  kind: string,
  keyOf: (row: T) => string,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encode(kind, keyOf(last)) : null };
}
