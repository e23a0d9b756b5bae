/**
 * `npm run bench`: figures for the embedded store on this machine, printed and written to
 * bench/results/<timestamp>.json. Nothing here asserts a speed; tests never time anything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { EventCodec } from '@app/claims';
import { type NewEvent, openSqliteDatabase, SqliteEventStore, systemClock } from '@app/event-store';
import { loadConfig } from '@app/platform';
import { ProjectionRunner, SqliteReadModels } from '@app/projections';
import { createApp } from '../apps/newsroom-api/src/bootstrap';

interface Figure {
  name: string;
  count: number;
  seconds: number;
  perSecond: number;
  p50ms?: number;
  p99ms?: number;
}

const KEY = 'bench-admin-key';
const figures: Figure[] = [];

function record(name: string, count: number, seconds: number, latencies?: number[]): void {
  const figure: Figure = { name, count, seconds: round(seconds), perSecond: Math.round(count / seconds) };
  if (latencies && latencies.length > 0) {
    const sorted = [...latencies].sort((a, b) => a - b);
    figure.p50ms = round(sorted[Math.floor(sorted.length * 0.5)] ?? 0);
    figure.p99ms = round(sorted[Math.floor(sorted.length * 0.99)] ?? 0);
  }
  figures.push(figure);
  const tail = figure.p99ms === undefined ? '' : `  p50 ${figure.p50ms} ms  p99 ${figure.p99ms} ms`;
  console.log(
    `${name.padEnd(44)} ${String(figure.perSecond).padStart(8)}/s  (${count} in ${figure.seconds}s)${tail}`,
  );
}
const round = (n: number) => Math.round(n * 1000) / 1000;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function statementEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'StatementReported',
    schemaVersion: 1,
    data: {
      claimId: 'c',
      statementId: randomUUID(),
      sourceId: 's',
      stance: 'affirms',
      value: { exact: i },
      quote: { text: 'قال المتحدث طلال سيلو إنه تم توفير ممر آمن', language: 'ar' },
      statedAt: { at: '2017-10-15T09:00:00.000Z', precision: 'hour' },
      attribution: 'on-record',
    },
    metadata: { principal: 'bench', correlationId: 'bench' },
  };
}

async function storeFigures(dir: string): Promise<void> {
  const db = openSqliteDatabase(join(dir, 'store.db'));
  const store = new SqliteEventStore(db, systemClock);
  store.migrate();
  const n = 5000;
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await store.append(`claim-${i % 500}`, [statementEvent(i)], 'any');
  record('sqlite append, 1 event per commit (fsync)', n, seconds(start));

  start = process.hrtime.bigint();
  for (let i = 0; i < n / 50; i++) {
    await store.append(
      `batch-${i}`,
      Array.from({ length: 50 }, (_, j) => statementEvent(j)),
      0,
    );
  }
  record('sqlite append, 50 events per commit', n, seconds(start));

  start = process.hrtime.bigint();
  let read = 0;
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length === 0) break;
    read += page.length;
    after = page[page.length - 1]!.position;
  }
  record('sqlite readAll, pages of 1000', read, seconds(start));
  db.close();
}

async function apiFigures(dir: string): Promise<void> {
  const config = loadConfig({
    NEWSROOM_DB: join(dir, 'api.db'),
    NEWSROOM_API_KEYS: `${KEY}:admin`,
    NEWSROOM_DEMO: 'on',
  });
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const claimId = 'c7a97629-970b-4803-a842-1f54fd01505f';

  await load('GET /claims/:id (read model), 16 concurrent', 4000, 16, () =>
    fetch(`${url}/claims/${claimId}`, { headers }),
  );
  await load('GET /claims/:id?asOfPosition (fold), 16 concurrent', 2000, 16, () =>
    fetch(`${url}/claims/${claimId}?asOfPosition=40`, { headers }),
  );
  const source = await (
    await fetch(`${url}/sources`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Bench', kind: 'group' }),
    })
  ).json();
  // Spread over 100 claims, as a newsroom's writes are: a claim gathers tens of statements, not thousands.
  const claims: string[] = [];
  for (let c = 0; c < 100; c++) {
    const res = await fetch(`${url}/claims`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        storyId: 'bench',
        proposition: { text: `n${c}`, language: 'en' },
        valueKind: 'quantity',
      }),
    });
    claims.push(((await res.json()) as { id: string }).id);
  }
  let i = 0;
  await load('POST /claims/:id/statements, 8 concurrent', 2000, 8, () => {
    const n = i++;
    return fetch(`${url}/claims/${claims[n % claims.length]}/statements`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        sourceId: (source as { id: string }).id,
        stance: 'affirms',
        value: { exact: n },
        quote: { text: 'عدد', language: 'ar' },
        statedAt: { at: '2017-10-15T09:00:00Z', precision: 'hour' },
        attribution: 'on-record',
      }),
    });
  });
  await app.close();
}

async function load(
  name: string,
  total: number,
  concurrency: number,
  send: () => Promise<Response>,
): Promise<void> {
  const latencies: number[] = [];
  let sent = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (sent < total) {
      sent++;
      const t = process.hrtime.bigint();
      const res = await send();
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${name}: HTTP ${res.status}`);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  record(name, latencies.length, seconds(start), latencies);
}

async function projectionFigures(dir: string): Promise<void> {
  const db = openSqliteDatabase(join(dir, 'api.db'));
  const store = new SqliteEventStore(db, systemClock);
  store.migrate();
  const codec = new EventCodec();
  const runner = new ProjectionRunner(store, new SqliteReadModels(db), (e) => codec.decode(e));
  const start = process.hrtime.bigint();
  const head = await runner.rebuild();
  record('projection rebuild (demo + bench writes)', Number(head), seconds(start));
  db.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'newsroom-bench-'));
  try {
    console.log(`newsroom ledger bench — node ${process.version}, ${new Date().toISOString()}\n`);
    await storeFigures(dir);
    await apiFigures(dir);
    await projectionFigures(dir);
    const out = join(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify({ node: process.version, at: new Date().toISOString(), figures }, null, 2) + '\n',
    );
    console.log(`\nwritten to ${file}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
