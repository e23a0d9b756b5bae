import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/test-app';
import { type IdPool, mutated, valueOf } from './support/arbitraries';
import { headOf, type HostileRequest, send, seedFixtures } from './support/hostile-client';
import { fillPath, type Route, routesOf } from './support/openapi-routes';

/**
 * Issue 9, idempotency details (docs/decisions/0011, README): a 400 for a body that failed
 * validation is stored under its key like any other client error, so the key cannot later carry
 * another body (422); the fingerprint covers the method, the route (path) and the canonical body
 * but not the order of query parameters or of a body's fields; a body refused before routing
 * (not UTF-8, NUL, too deep, not JSON) never reaches the key and is not stored.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED === undefined ? 20_261_130 : Number(process.env.FUZZ_SEED);
jest.setTimeout(Math.max(120_000, RUNS * 1000));

/** The same JSON with every object's fields in reverse order (canonically the same body). */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

const post = (url: string, body: unknown, key: string): HostileRequest => ({
  method: 'POST',
  url,
  as: 'admin',
  body: Buffer.from(JSON.stringify(body)),
  contentType: 'application/json',
  headers: { 'idempotency-key': key },
});

describe('Idempotency-Key under hostile bodies', () => {
  let api: TestApp;
  let writes: Route[];
  let ids: IdPool;
  beforeAll(async () => {
    api = await startTestApp();
    writes = (await routesOf(api)).filter((r) => r.method === 'POST' && r.body !== undefined);
    ids = await seedFixtures(api);
  });
  afterAll(() => api?.close());

  it('stores each 400 VALIDATION_FAILED: the same request replays it, another body or route gets 422', async () => {
    const valid = (route: Route) => valueOf(route.body!, ids);
    const sample = fc.constantFrom(...writes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        invalid: valid(route).chain(mutated),
        other: valid(route),
        params: fc.constant(Object.fromEntries(route.pathParams.map((p) => [p, ids[p]![0]!]))),
      }),
    );
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(sample, async ({ route, invalid, other, params }) => {
        const key = `fuzz-${randomUUID()}`;
        const path = fillPath(route.path, params);
        const head = await headOf(api);
        const first = await send(api, post(`${path}?b=2&a=1`, invalid, key));
        const code = first.status === 400 ? (JSON.parse(first.text) as { code: string }).code : undefined;
        // Only bodies refused by validation (not by the parser, nor accepted) are this property's.
        fc.pre(code === 'VALIDATION_FAILED');
        stored += 1;
        const again = await send(api, post(`${path}?a=1&b=2`, reordered(invalid), key));
        expect({ status: again.status, text: again.text }).toEqual({ status: 400, text: first.text });
        if (JSON.stringify(other) !== JSON.stringify(invalid)) {
          const reused = await send(api, post(`${path}?a=1&b=2`, other, key));
          expect(reused.status).toBe(422);
          expect(JSON.parse(reused.text)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
        }
        const elsewhere = await send(api, post('/sources', invalid, key));
        if (route.path !== '/sources') expect(elsewhere.status).toBe(422);
        expect(await headOf(api)).toBe(head);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(stored).toBeGreaterThan(0);
  });

  it('compares the path as sent: a differently percent-encoded path is another request (422), never a replay', async () => {
    const key = `fuzz-${randomUUID()}`;
    const sourceId = ids.sourceId![0]!;
    const body = { changes: { role: `role ${randomUUID()}` }, reason: 'his title' };
    const first = await send(api, post(`/sources/${sourceId}/amendments`, body, key));
    expect(first.status).toBe(201);
    const replay = await send(api, post(`/sources/${sourceId}/amendments`, body, key));
    expect(replay.status).toBe(200);
    const head = await headOf(api);
    const encoded = sourceId.replace(/[0-9a-f]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const other = await send(api, post(`/sources/${encoded}/amendments`, body, key));
    expect(other.status).toBe(422);
    expect(await headOf(api)).toBe(head);
  });

  it.each([
    [
      'not UTF-8',
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      'application/json',
      'INVALID_UTF8',
    ],
    [
      'a NUL in a name',
      Buffer.from('{"name":"a\\u0000","kind":"person"}'),
      'application/json',
      'INVALID_TEXT',
    ],
    ['nested too deep', Buffer.from('['.repeat(40) + ']'.repeat(40)), 'application/json', 'JSON_TOO_DEEP'],
    ['not JSON', Buffer.from('name=x'), 'application/x-www-form-urlencoded', 'HTTP_415'],
  ])(
    'does not store a body refused before routing (%s): the key then carries a valid body',
    async (_n, body, type, code) => {
      const key = `fuzz-${randomUUID()}`;
      const refused = await send(api, {
        method: 'POST',
        url: '/sources',
        as: 'admin',
        body,
        contentType: type,
        headers: { 'idempotency-key': key },
      });
      expect(JSON.parse(refused.text)).toMatchObject({ code });
      const next = await send(
        api,
        post('/sources', { name: 'Raqqa Civil Council', kind: 'organization' }, key),
      );
      expect(next.status).toBe(201);
    },
  );
});
