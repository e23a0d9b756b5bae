import { statementBody } from '../support/bodies';
import { startTestApp, type TestApp } from '../support/test-app';
import { type Caller, checkAnswer, headOf, send } from './support/hostile-client';
import { fillPath, type Route, routesOf } from './support/openapi-routes';

/**
 * Issue 9: every route of the served OpenAPI document × every role × no key, against API.md's
 * Access table. THE table is MATRIX: one row per route, the status each caller gets. A route the
 * document serves and the table lacks fails the test (add its row); so does a row for a route
 * that is gone. Seeing a protected source's identity (`sources:identity`) changes what a reader
 * sees, not a status: test/protected-sources.e2e-spec.ts covers it.
 */
// Generous: a verdict cell creates three streams per caller, on two busy cores.
jest.setTimeout(60_000);

type Row = readonly [reporter: number, editor: number, auditor: number, admin: number, nobody: number];
const COLUMNS = ['reporter', 'editor', 'auditor', 'admin', 'nobody'] as const;

// prettier-ignore
const MATRIX: Record<string, Row> = {
  //                                                            reporter editor auditor admin nobody
  'GET /health':                                                 [200,    200,   200,    200,  200],
  'GET /metrics':                                                [200,    200,   200,    200,  200],
  'GET /sources':                                                [200,    200,   200,    200,  401],
  'GET /sources/{sourceId}':                                     [200,    200,   200,    200,  401],
  'GET /sources/{sourceId}/statements':                          [200,    200,   200,    200,  401],
  'GET /claims':                                                 [200,    200,   200,    200,  401],
  'GET /claims/{claimId}':                                       [200,    200,   200,    200,  401],
  'GET /claims/{claimId}/statements':                            [200,    200,   200,    200,  401],
  'GET /claims/{claimId}/timeline':                              [200,    200,   200,    200,  401],
  'GET /claims/{claimId}/claim-review':                          [200,    200,   200,    200,  401],
  'GET /events':                                                 [403,    403,   200,    200,  401],
  'POST /sources':                                               [201,    201,   403,    201,  401],
  'POST /sources/{sourceId}/amendments':                         [201,    201,   403,    201,  401],
  'POST /claims':                                                [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/rewordings':                           [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/merger':                               [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/statements':                           [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/statements/{statementId}/corrections': [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/statements/{statementId}/retraction':  [201,    201,   403,    201,  401],
  'POST /claims/{claimId}/verdicts':                             [403,    201,   403,    201,  401],
  'POST /claims/{claimId}/verdicts/{verdictId}/withdrawal':      [403,    201,   403,    201,  401],
  'POST /sources/{sourceId}/shredding':                          [403,    403,   403,    201,  401],
  'POST /admin/master-key/rotation':                             [403,    403,   403,    200,  401],
  'GET /events/stream':                                          [403,    403,   200,    200,  401],
  'GET /claims/{claimId}/stream':                                [200,    200,   200,    200,  401],
  'GET /stories/{storyId}/stream':                               [200,    200,   200,    200,  401],
};

interface Cell {
  params: Record<string, string>;
  body?: unknown;
}

let serial = 0;
const unique = (what: string): string => `${what} ${(serial += 1)}`;

/** Creates what a request needs to succeed (as admin, before the caller under test tries it). */
async function created(api: TestApp, path: string, body: unknown): Promise<string> {
  const res = await api.post<{ id: string }>(path, body, { as: 'admin' });
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}
const newSource = (api: TestApp) => created(api, '/sources', { name: unique('Source'), kind: 'person' });
const newClaim = (api: TestApp) =>
  created(api, '/claims', {
    storyId: 'matrix',
    proposition: { text: unique('A deal was struck'), language: 'en' },
    valueKind: 'boolean',
  });
async function newStatement(api: TestApp): Promise<{ claimId: string; statementId: string }> {
  const [sourceId, claimId] = [await newSource(api), await newClaim(api)];
  const statementId = await created(
    api,
    `/claims/${claimId}/statements`,
    statementBody(sourceId, 'affirms', true),
  );
  return { claimId, statementId };
}
async function newVerdict(api: TestApp): Promise<{ claimId: string; verdictId: string }> {
  const { claimId, statementId } = await newStatement(api);
  const verdictId = await created(api, `/claims/${claimId}/verdicts`, verdictBody(statementId));
  return { claimId, verdictId };
}
const verdictBody = (statementId: string) => ({
  rating: 'true',
  rationale: 'Confirmed twice.',
  evidence: [statementId],
});

/** A request each route answers with success when the caller may make it: fresh state per cell. */
const CELLS: Record<string, (api: TestApp) => Promise<Cell>> = {
  'GET /sources/{sourceId}': async (api) => ({ params: { sourceId: await newSource(api) } }),
  'GET /sources/{sourceId}/statements': async (api) => ({ params: { sourceId: await newSource(api) } }),
  'GET /claims/{claimId}': async (api) => ({ params: { claimId: await newClaim(api) } }),
  'GET /claims/{claimId}/statements': async (api) => ({ params: { claimId: await newClaim(api) } }),
  'GET /claims/{claimId}/timeline': async (api) => ({ params: { claimId: await newClaim(api) } }),
  'GET /claims/{claimId}/stream': async (api) => ({ params: { claimId: await newClaim(api) } }),
  'GET /stories/{storyId}/stream': () => Promise.resolve({ params: { storyId: 'matrix' } }),
  'GET /claims/{claimId}/claim-review': async (api) => ({
    params: { claimId: (await newVerdict(api)).claimId },
  }),
  'POST /sources': () =>
    Promise.resolve({ params: {}, body: { name: unique('Source'), kind: 'organization' } }),
  'POST /sources/{sourceId}/amendments': async (api) => ({
    params: { sourceId: await newSource(api) },
    body: { changes: { role: 'spokesman' }, reason: 'his title' },
  }),
  'POST /sources/{sourceId}/shredding': async (api) => ({
    params: {
      sourceId: await created(api, '/sources', {
        name: unique('Confidential'),
        kind: 'person',
        protected: true,
      }),
    },
    body: { reason: 'the source asked to be forgotten' },
  }),
  'POST /claims': () =>
    Promise.resolve({
      params: {},
      body: {
        storyId: 'matrix',
        proposition: { text: unique('A claim'), language: 'en' },
        valueKind: 'text',
      },
    }),
  'POST /claims/{claimId}/rewordings': async (api) => ({
    params: { claimId: await newClaim(api) },
    body: { proposition: { text: unique('Reworded'), language: 'en' }, reason: 'clearer' },
  }),
  'POST /claims/{claimId}/merger': async (api) => ({
    params: { claimId: await newClaim(api) },
    body: { intoClaimId: await newClaim(api), reason: 'one proposition' },
  }),
  'POST /claims/{claimId}/statements': async (api) => ({
    params: { claimId: await newClaim(api) },
    body: statementBody(await newSource(api), 'denies', false),
  }),
  'POST /claims/{claimId}/statements/{statementId}/corrections': async (api) => ({
    params: await newStatement(api),
    body: { changes: { stance: 'uncertain', value: null }, reason: 'misheard' },
  }),
  'POST /claims/{claimId}/statements/{statementId}/retraction': async (api) => ({
    params: await newStatement(api),
    body: { reason: 'source-withdrew' },
  }),
  'POST /claims/{claimId}/verdicts': async (api) => {
    const { claimId, statementId } = await newStatement(api);
    return { params: { claimId }, body: verdictBody(statementId) };
  },
  'POST /claims/{claimId}/verdicts/{verdictId}/withdrawal': async (api) => ({
    params: await newVerdict(api),
    body: { reason: 'new evidence' },
  }),
};

describe('role-by-route matrix (API.md, Access)', () => {
  let api: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    api = await startTestApp();
    routes = await routesOf(api);
  });
  afterAll(() => api?.close());

  it('has one row for each route the OpenAPI document serves, and none for a route it does not', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(routes.map((r) => r.key).sort());
  });

  it('needs a key exactly where the document says so', () => {
    for (const route of routes)
      expect([route.key, route.secured]).toEqual([route.key, MATRIX[route.key]![4] === 401]);
  });

  it.each(Object.entries(MATRIX))('%s', async (key, row) => {
    const route = routes.find((r) => r.key === key);
    if (route === undefined) throw new Error(`${key} is not in the OpenAPI document`);
    const callers: [Caller, number][] = COLUMNS.map((who, i) => [who, row[i]!]);
    // A key the server does not know, or no bearer key at all, is no key.
    if (row[4] === 401) callers.push(['unknown-key', 401], ['malformed-auth', 401]);
    for (const [as, expected] of callers) {
      const cell = (await CELLS[key]?.(api)) ?? { params: {} };
      const request = {
        method: route.method,
        url: fillPath(route.path, cell.params),
        as,
        ...(cell.body === undefined
          ? {}
          : { body: Buffer.from(JSON.stringify(cell.body)), contentType: 'application/json' }),
      };
      const before = await headOf(api);
      const response = await send(api, request);
      expect({ as, status: response.status }).toEqual({ as, status: expected });
      checkAnswer(request, response);
      // Refused is refused: nothing recorded.
      if (expected >= 400) expect(await headOf(api)).toBe(before);
    }
  });
});
