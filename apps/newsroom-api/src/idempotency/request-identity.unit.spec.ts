import { createHash } from 'node:crypto';
import { idempotentCommandId, requestFingerprint } from './request-identity';

describe('requestFingerprint', () => {
  const body = { name: 'Raqqa Civil Council', kind: 'organization', n: 1.0 };

  it('ignores key order and number spelling in the body', () => {
    expect(requestFingerprint('POST', '/sources', body)).toBe(
      requestFingerprint('POST', '/sources', { n: 1, kind: 'organization', name: 'Raqqa Civil Council' }),
    );
  });

  it('ignores the order of query parameters, not their values', () => {
    const a = requestFingerprint('POST', '/sources?b=2&a=1', body);
    expect(requestFingerprint('POST', '/sources?a=1&b=2', body)).toBe(a);
    expect(requestFingerprint('POST', '/sources?a=1&b=3', body)).not.toBe(a);
    expect(requestFingerprint('POST', '/sources', body)).not.toBe(a);
  });

  it('tells apart the method, the path and the body', () => {
    const base = requestFingerprint('POST', '/claims/1/statements', body);
    expect(requestFingerprint('PUT', '/claims/1/statements', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/claims/2/statements', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/claims/1/statements', { ...body, kind: 'group' })).not.toBe(base);
  });

  it('is, without a query string, the fingerprint earlier releases stored', () => {
    const earlier = createHash('sha256')
      .update(`POST /sources\n{"kind":"organization","n":1,"name":"Raqqa Civil Council"}`)
      .digest('hex');
    expect(requestFingerprint('POST', '/sources', body)).toBe(earlier);
  });
});

describe('idempotentCommandId', () => {
  it('names the API key (by digest), the Idempotency-Key and the request, and reveals none of them', () => {
    const digest = createHash('sha256').update('a-high-entropy-api-key').digest('hex');
    const id = idempotentCommandId(digest, 'k-1', 'f'.repeat(64));
    expect(id).toMatch(/^idem:[0-9a-f]{64}$/);
    expect(id).not.toContain(digest);
    expect(idempotentCommandId('0'.repeat(64), 'k-1', 'f'.repeat(64))).not.toBe(id);
    expect(idempotentCommandId(digest, 'k-2', 'f'.repeat(64))).not.toBe(id);
    expect(idempotentCommandId(digest, 'k-1', 'e'.repeat(64))).not.toBe(id);
  });
});
