import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventCodec } from '@app/claims';
import { openSqliteDatabase, PostgresEventStore, type StoredEvent, systemClock } from '@app/event-store';
import { ProjectionRunner, SqliteReadModels } from '@app/projections';
import type { Pool } from 'pg';
import {
  TEST_DATABASE_URL,
  describeWithPostgres,
  dropSchema,
  testPool,
  uniqueSchemaName,
} from '../libs/event-store/src/postgres/testing/test-database';
import {
  API_KEYS,
  buildApps,
  PROJECTOR_MAIN,
  type Running,
  spawnApp,
  startApi,
  stop,
} from './scale-out/processes';
import { KEYS } from './support/test-app';

const CLIENTS = 16;
const CLAIMS = 4;
const HAMMER_MS = 10_000;
const KILL_AT_MS = 4_000;
/** Retries of a 409 with the same Idempotency-Key. */
const MAX_RETRIES = 20;

interface Outcome {
  status: number | 'network';
  quote: string;
  claimId: string;
  position?: bigint;
  lagging?: boolean;
  /** The claim's ETag read right after the 201 on the same replica (read-your-writes). */
  readVersion?: number;
  streamVersion?: number;
  /** Milliseconds into the hammering when the request was sent. */
  at: number;
  replica: string;
  /** 409s answered before the final status. */
  conflicts?: number;
}

const headers = { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' };

async function post(url: string, path: string, body: unknown, key?: string) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: key === undefined ? headers : { ...headers, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

async function getText(url: string, path: string) {
  const res = await fetch(url + path, { headers });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

const statement = (sourceId: string, quote: string) => ({
  sourceId,
  stance: 'affirms',
  value: true,
  quote: { text: quote, language: 'en' },
  statedAt: { at: '2017-10-14T09:00:00Z', precision: 'hour' },
  attribution: 'on-record',
});

/**
 * Scale-out on one PostgreSQL schema, as real processes: two API replicas and a standby
 * projector. API-1 starts first and holds the projector lease; API-2 and the projector stand by.
 * Sixteen clients report statements on four claims without If-Match, spread over the replicas;
 * midway API-1 is killed (SIGKILL: its session, and with it the lease, dies) and its clients move
 * to API-2 while a standby takes over projection. Then API-1 is started again as a replica.
 */
describeWithPostgres('two API replicas and a standby projector on one PostgreSQL log', () => {
  let admin: Pool;
  let dir: string;
  const schema = uniqueSchemaName('scale_out');
  const running: Running[] = [];

  beforeAll(() => {
    buildApps();
    admin = testPool({ max: 2 });
    dir = mkdtempSync(join(tmpdir(), 'newsroom-scale-out-'));
  }, 300_000);
  afterAll(async () => {
    for (const process of running) await stop(process, 'SIGKILL');
    await dropSchema(admin, schema);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (name: string, extra: Record<string, string> = {}) => ({
    EVENT_STORE: 'postgres',
    DATABASE_URL: TEST_DATABASE_URL,
    NEWSROOM_PG_SCHEMA: schema,
    NEWSROOM_API_KEYS: API_KEYS,
    NEWSROOM_DB: join(dir, `${name}.db`),
    ...extra,
  });

  it('loses nothing, doubles nothing, reads its writes on every replica, and both replicas agree with a rebuild', async () => {
    const api1 = await startApi('api-1', env('api-1'));
    running.push(api1);
    const api2 = await startApi('api-2', env('api-2'));
    running.push(api2);
    const projector = spawnApp('projector', PROJECTOR_MAIN, env('projector'));
    running.push(projector);

    const sources: string[] = [];
    const claims: string[] = [];
    for (let i = 0; i < CLAIMS; i += 1) {
      const source = await post(api1.url!, '/sources', { name: `Source ${i}`, kind: 'organization' });
      sources.push(source.body.id as string);
      const claim = await post(api2.url!, '/claims', {
        storyId: 'scale-out',
        proposition: { text: `Claim ${i}`, language: 'en' },
        valueKind: 'boolean',
      });
      expect(claim.status).toBe(201);
      claims.push(claim.body.id as string);
    }

    let alive = [api1, api2];
    const outcomes: Outcome[] = [];
    const started = Date.now();
    const killer = (async () => {
      await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
      alive = [api2];
      await stop(api1, 'SIGKILL');
    })();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; Date.now() - started < HAMMER_MS; n += 1) {
          const replica = alive[(client + n) % alive.length]!;
          const claimId = claims[(client + n) % CLAIMS]!;
          const quote = `client ${client} write ${n} ${randomUUID()}`;
          const outcome: Outcome = {
            status: 'network',
            quote,
            claimId,
            at: Date.now() - started,
            replica: replica.name,
          };
          outcomes.push(outcome);
          try {
            // A 409 (a lost race) releases the key: the same request with the same key is retried.
            const key = randomUUID();
            const body = statement(sources[client % CLAIMS]!, quote);
            let res = await post(replica.url!, `/claims/${claimId}/statements`, body, key);
            for (let retry = 0; res.status === 409 && retry < MAX_RETRIES; retry += 1) {
              outcome.conflicts = (outcome.conflicts ?? 0) + 1;
              await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
              res = await post(replica.url!, `/claims/${claimId}/statements`, body, key);
            }
            outcome.status = res.status;
            if (res.status !== 201) continue;
            outcome.position = BigInt(res.body.position as string);
            outcome.streamVersion = res.body.streamVersion as number;
            outcome.lagging = res.headers.get('x-read-models-lagging') === 'true';
            const read = await getText(replica.url!, `/claims/${claimId}`);
            outcome.readVersion = Number(/^"(\d+)/.exec(read.etag ?? '')?.[1]);
          } catch {
            // The replica died under the request: its outcome is unknown, and not counted as written.
          }
        }
      }),
    );
    await killer;

    const created = outcomes.filter((o) => o.status === 201);
    // 409s answered to first attempts: the DecisionRunner queues commands per stream and re-decides
    // lost cross-process races with jittered backoff (0007), so fewer than 1% reach the client.
    const conflicts = outcomes.filter((o) => (o.conflicts ?? 0) > 0).length;
    const retried = outcomes.filter((o) => (o.conflicts ?? 0) > 0 && o.status === 201).length;
    const other = outcomes.filter((o) => o.status !== 201 && o.status !== 'network');
    console.log(
      `scale-out: ${outcomes.length} requests, ${created.length} x 201, ${conflicts} x 409 first (${((100 * conflicts) / outcomes.length).toFixed(1)}%, ${retried} then 201 with their key), ` +
        `${outcomes.filter((o) => o.status === 'network').length} unknown (killed replica), ${other.length} other`,
    );
    expect(created.length).toBeGreaterThan(50);
    expect(conflicts / outcomes.length).toBeLessThan(0.01);
    // Writes went on after the projector died: a standby took the lease and projected them.
    expect(created.filter((o) => o.at > KILL_AT_MS + 2_000).length).toBeGreaterThan(0);
    expect(other.map((o) => o.status)).toEqual([]);
    // Read-your-writes on either replica, whichever process projected, across the takeover.
    expect(created.filter((o) => o.lagging)).toEqual([]);
    // (A read cut off by the SIGKILL, on the killed replica, proves nothing either way.)
    const unread = (o: Outcome) => o.readVersion === undefined && o.replica === api1.name;
    expect(created.filter((o) => !unread(o) && !(o.readVersion! >= o.streamVersion!))).toEqual([]);

    // The log: every 201's statement once, at its position; no statement twice.
    const store = new PostgresEventStore(admin, systemClock, { schema });
    const events: StoredEvent[] = [];
    for (let after = 0n; ;) {
      const page = await store.readAll({ after, limit: 1000 });
      if (page.length === 0) break;
      events.push(...page);
      after = page.at(-1)!.position;
    }
    const quotes = new Map<string, StoredEvent[]>();
    for (const event of events.filter((e) => e.type === 'StatementReported')) {
      const quote = (event.data as { quote: { text: string } }).quote.text;
      quotes.set(quote, [...(quotes.get(quote) ?? []), event]);
    }
    expect([...quotes.values()].filter((list) => list.length > 1)).toEqual([]);
    for (const outcome of created) {
      expect(quotes.get(outcome.quote)?.map((e) => e.position)).toEqual([outcome.position]);
    }

    // Both replicas (API-1 started again) answer byte-identical reads equal to a full rebuild.
    const api1Again = await startApi('api-1-again', env('api-1'));
    running.push(api1Again);
    const head = events.at(-1)!.position.toString();
    for (const api of [api1Again, api2]) {
      const deadline = Date.now() + 30_000;
      while (
        ((await (await fetch(`${api.url}/health`)).json()) as { projected: string }).projected !== head
      ) {
        if (Date.now() > deadline)
          throw new Error(`${api.name} never caught up:\n${projector.output.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const rebuilt = new SqliteReadModels(openSqliteDatabase(':memory:'));
    const codec = new EventCodec();
    await new ProjectionRunner(store, rebuilt, (e) => codec.decode(e)).catchUp();
    for (const claimId of claims) {
      const [a, b] = await Promise.all([
        getText(api1Again.url!, `/claims/${claimId}`),
        getText(api2.url!, `/claims/${claimId}`),
      ]);
      expect(a.status).toBe(200);
      expect(a.text).toBe(b.text);
      expect(a.text).toBe(`${rebuilt.claimViewJson(claimId)!.json.slice(0, -1)},"cut":{}}`);
    }

    // The same key and body sent to both replicas records once (the second answer is a replay).
    const once = statement(sources[0]!, `sent to both ${randomUUID()}`);
    const first = await post(api1Again.url!, `/claims/${claims[0]!}/statements`, once, 'both-replicas');
    const second = await post(api2.url!, `/claims/${claims[0]!}/statements`, once, 'both-replicas');
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const after = await store.readAll({ after: BigInt(head), limit: 100 });
    expect(after.filter((e) => JSON.stringify(e.data).includes(once.quote.text))).toHaveLength(1);
    await store.close();
  }, 300_000);
});
