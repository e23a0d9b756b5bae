import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * What makes two requests "the same request" for Idempotency-Key, and the one-way id the log keeps
 * of it (docs/decisions/0011-idempotency-across-replicas.md).
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The request fingerprint: SHA-256 over the method, the path (route and its parameters, as sent),
 * the query string with its parameters sorted (so `?a=1&b=2` and `?b=2&a=1` are the same request,
 * while a different value is not) and the RFC 8785 canonical JSON of the body (key order and
 * number spelling do not matter). Headers are not part of it. Without a query string this is the
 * fingerprint earlier versions stored, so keys recorded before the upgrade still match.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? '' : sortedQuery(url.slice(at + 1));
  const canonical = canonicalize(body ?? null) ?? 'null';
  return sha256(`${method.toUpperCase()} ${path}${query === '' ? '' : `?${query}`}\n${canonical}`);
}

function sortedQuery(query: string): string {
  const params = [...new URLSearchParams(query)];
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return new URLSearchParams(params).toString();
}

/**
 * The id of one idempotent request, kept as the `causationId` of the events it appended: the
 * command that caused them. A SHA-256 over the API key's digest (itself SHA-256 of a high-entropy
 * key), the Idempotency-Key and the request fingerprint. Whoever holds the key store's row (digest,
 * key, fingerprint) recomputes it and finds the events that answered that row; the log alone
 * reveals neither the API key nor its digest, and tells two API keys of one principal apart.
 */
export function idempotentCommandId(keyDigest: string, key: string, fingerprint: string): string {
  return `idem:${sha256(`newsroom-ledger/idempotent-request/v1\n${keyDigest}\n${key}\n${fingerprint}`)}`;
}
