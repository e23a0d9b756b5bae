import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimStreamId, EventCodec, sourceStreamId } from '@app/claims';
import { type NewEvent, openSqliteDatabase, SqliteEventStore, systemClock } from '@app/event-store';
import { HistoricalClaims, ProjectionRunner, SqliteReadModels } from '@app/projections';

/**
 * Issue 12 / issue 7 figures for one busy claim on SQLite (docs/decisions/0008): projecting one
 * statement, the current view's size, and cut reads (`asOfPosition` anywhere in the claim), at
 * 100, 1,000 and 5,000 statements from 40 voices. Prints a table; asserts nothing, and is skipped
 * unless asked for (tests never time anything): `MEASURE=1 npx jest libs/projections/measure`.
 */
const measure = process.env.MEASURE === '1' ? it : it.skip;
const SIZES = [10, 100, 1_000, 5_000];
const VOICES = 40;

const event = (type: string, data: object): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: { principal: 'measure', correlationId: 'measure' },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n: number) => n.toFixed(2).padStart(8);

measure(
  'busy-claim reads and writes',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-reads-'));
    const db = openSqliteDatabase(join(dir, 'measure.db'));
    const store = new SqliteEventStore(db, systemClock);
    store.migrate();
    const codec = new EventCodec();
    const readModels = new SqliteReadModels(db);
    const runner = new ProjectionRunner(store, readModels, (e) => codec.decode(e));
    const history = new HistoricalClaims(store, codec, readModels);
    const sources = Array.from(
      { length: VOICES },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    for (const [i, sourceId] of sources.entries())
      await store.append(
        sourceStreamId(sourceId),
        [event('SourceRegistered', { sourceId, name: `Voice ${i}`, kind: 'organization', protected: false })],
        0,
      );
    const claimId = randomUUID();
    await store.append(
      claimStreamId(claimId),
      [
        event('ClaimOpened', {
          claimId,
          storyId: 'm',
          proposition: { text: 'death toll', language: 'en' },
          valueKind: 'quantity',
        }),
      ],
      0,
    );
    await runner.catchUp();

    let reported = 0;
    const statement = () => {
      const i = reported++;
      return event('StatementReported', {
        claimId,
        statementId: randomUUID(),
        sourceId: sources[i % VOICES]!,
        stance: 'affirms',
        value: { exact: 100 + (i % 2) * 50 + Math.floor(i / 100) },
        quote: { text: 'قال المتحدث إن عدد القتلى بلغ', language: 'ar' },
        statedAt: { at: new Date(Date.UTC(2017, 9, 1) + i * 60_000).toISOString(), precision: 'minute' },
        attribution: 'on-record',
      });
    };

    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
    console.log(
      'statements | project 1 p50 ms | view bytes | asOf p50 | asOf p90 | asOf p99 | full fold p50',
    );
    for (const size of SIZES) {
      while (reported < size - 20)
        await store.append(
          claimStreamId(claimId),
          Array.from({ length: Math.min(200, size - 20 - reported) }, statement),
          'any',
        );
      await runner.catchUp();
      // Projection cost of one more statement, with the claim at this size (20 samples).
      const project: number[] = [];
      while (reported < size) {
        await store.append(claimStreamId(claimId), [statement()], 'any');
        const t = process.hrtime.bigint();
        await runner.catchUp();
        project.push(ms(t));
      }
      const bytes = readModels.claimViewJson(claimId)!.json.length;
      const head = await store.headPosition();
      const first = (await store.readStream(claimStreamId(claimId)))[0]!.position;
      const cuts = Array.from({ length: 300 }, (_, i) => first + ((head - first) * BigInt(i + 1)) / 300n);
      for (const cut of cuts) await history.at(claimId, cut); // warm: sources read once, JIT
      const asOf: number[] = [];
      for (const cut of [...cuts, ...cuts, ...cuts]) {
        const t = process.hrtime.bigint();
        await history.at(claimId, cut);
        asOf.push(ms(t));
      }
      const full: number[] = [];
      for (const cut of cuts.slice(-10)) {
        const t = process.hrtime.bigint();
        await history.at(claimId, cut, '2030-01-01T00:00:00Z');
        full.push(ms(t));
      }
      for (const list of [project, asOf, full]) list.sort((a, b) => a - b);
      const row = `${String(size).padStart(10)} | ${fmt(percentile(project, 0.5))} | ${String(bytes).padStart(10)} | ${fmt(percentile(asOf, 0.5))} | ${fmt(percentile(asOf, 0.9))} | ${fmt(percentile(asOf, 0.99))} | ${fmt(percentile(full, 0.5))}`;
      console.log(row);
    }
    db.close();
    rmSync(dir, { recursive: true, force: true });
  },
  600_000,
);
