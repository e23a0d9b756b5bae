import { verifyLog, type VerificationReport } from '@app/integrity';
import { EVENT_STORE, type EventStore, MAX_PAGE_SIZE, type StoredEvent } from '@app/event-store';
import { KEYS, type TestApp, type Who } from '../../support/test-app';
import type { IdPool } from './arbitraries';

/**
 * Requests sent as a hostile client would send them (any bytes, any content type, any key), and
 * the invariants every answer must keep (docs/security.md, "Hostile input").
 */

export type Caller = Who | 'unknown-key' | 'malformed-auth';

export interface HostileRequest {
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  url: string;
  as: Caller;
  body?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface HostileResponse {
  status: number;
  contentType: string;
  text: string;
}

const authorization = (as: Caller): string | undefined => {
  if (as === 'nobody') return undefined;
  if (as === 'unknown-key') return 'Bearer not-a-key-this-server-knows';
  if (as === 'malformed-auth') return 'Basic dXNlcjpwYXNz';
  return `Bearer ${KEYS[as]}`;
};

export async function send(api: TestApp, request: HostileRequest): Promise<HostileResponse> {
  const headers: Record<string, string> = { ...request.headers };
  const auth = authorization(request.as);
  if (auth !== undefined) headers.authorization = auth;
  if (request.contentType !== undefined && request.contentType !== '')
    headers['content-type'] = request.contentType;
  const res = await fetch(api.url + request.url, {
    method: request.method,
    headers,
    body: request.body,
    // A request that never answers fails the property instead of hanging the suite.
    signal: AbortSignal.timeout(20_000),
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    // A live feed answers and keeps the connection: its headers are the answer.
    await res.body?.cancel();
    return { status: res.status, contentType, text: '' };
  }
  return { status: res.status, contentType, text: await res.text() };
}

/** The log's head, as GET /health reports it (no key needed). */
export async function headOf(api: TestApp): Promise<string> {
  const res = await fetch(`${api.url}/health`);
  const body = (await res.json()) as { head: string };
  return body.head;
}

/** Throws, naming the request, unless the answer keeps the invariants. */
export function checkAnswer(request: HostileRequest, response: HostileResponse): void {
  const what = `${request.method} ${request.url.slice(0, 200)} as ${request.as} -> ${response.status}`;
  if (response.status >= 500) throw new Error(`${what}: a server error: ${response.text.slice(0, 500)}`);
  if (response.status < 400) return;
  if (!response.contentType.startsWith('application/problem+json'))
    throw new Error(
      `${what}: an error that is not problem details (${response.contentType}): ${response.text.slice(0, 300)}`,
    );
  // HEAD answers the headers of what GET would, without a body.
  if (request.method === 'HEAD') return;
  const problem = JSON.parse(response.text) as { type?: unknown; title?: unknown; status?: unknown };
  if (
    typeof problem.type !== 'string' ||
    typeof problem.title !== 'string' ||
    problem.status !== response.status
  )
    throw new Error(
      `${what}: problem details without type, title or the right status: ${response.text.slice(0, 300)}`,
    );
}

/** The whole log through the integrity library's verifier, as the auditor CLI reads it. */
export async function verifyWholeLog(api: TestApp): Promise<VerificationReport> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  // PostgreSQL may skip a position when an append rolls back; SQLite never does.
  return verifyLog(wholeLog(store), { densePositions: api.pgSchema === undefined });
}

async function* wholeLog(store: EventStore): AsyncGenerator<StoredEvent> {
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: MAX_PAGE_SIZE });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.position;
  }
}

/** A source, a claim with a statement, and a verdict, so that ids in paths and bodies can exist. */
export async function seedFixtures(api: TestApp): Promise<IdPool> {
  const ok = <T>(res: { status: number; body: T }, what: string): T => {
    if (res.status !== 201)
      throw new Error(`seeding ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const source = ok(
    await api.post<{ id: string }>('/sources', { name: 'Talal Silo', kind: 'person' }),
    'a source',
  );
  const claim = ok(
    await api.post<{ id: string }>('/claims', {
      storyId: 'raqqa-2017-10-15',
      proposition: { text: 'Foreign fighters are part of the deal', language: 'en' },
      valueKind: 'boolean',
    }),
    'a claim',
  );
  const statement = ok(
    await api.post<{ id: string }>(`/claims/${claim.id}/statements`, {
      sourceId: source.id,
      stance: 'affirms',
      value: true,
      quote: { text: 'نعم.. المقاتلون الأجانب ضمن الاتفاق', language: 'ar' },
      statedAt: { at: '2017-10-14T09:00:00Z', precision: 'hour' },
      attribution: 'on-record',
    }),
    'a statement',
  );
  const verdict = ok(
    await api.post<{ id: string }>(
      `/claims/${claim.id}/verdicts`,
      { rating: 'mostly-true', rationale: 'Two sides confirm it.', evidence: [statement.id] },
      { as: 'editor' },
    ),
    'a verdict',
  );
  return {
    sourceId: [source.id],
    affiliationId: [source.id],
    claimId: [claim.id],
    intoClaimId: [claim.id],
    statementId: [statement.id],
    verdictId: [verdict.id],
    storyId: ['raqqa-2017-10-15'],
  };
}

export const ALL_CALLERS: readonly Caller[] = [
  ...(Object.keys(KEYS) as Who[]),
  'nobody',
  'unknown-key',
  'malformed-auth',
];
