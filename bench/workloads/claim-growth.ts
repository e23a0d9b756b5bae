/**
 * W6: write latency on one claim as it grows. The built API on a fresh SQLite file; one claim is
 * grown over HTTP (16 concurrent writers) to 10, 100, 1,000 and 5,000 statements, spread over 40
 * sources, and at each size a run of sequential POSTs is timed. Growth has a time budget: sizes it
 * cannot reach in time are reported as not reached (a write whose cost grows with the claim makes
 * 5,000 a long way off).
 *
 * W7 (issue 12): reads of that claim at each size, on the same API, one reader. `GET /claims/{id}`
 * (current) and `GET /claims/{id}?asOfPosition=` at the position of a random event of the claim
 * so far (a cut read: the latest snapshot at or before it, then the events after it); p50/p99 and
 * the body's size in bytes, which should stop growing once every source has spoken.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { api, BENCH_KEY, inParallel, startApi } from '../support/processes';
import { median, percentile, since } from '../support/report';

const SIZES = [10, 100, 1_000, 5_000];
/** Distinct sources (each its own voice) the statements are spread over, round robin. */
const SOURCES = 40;

interface Written {
  id: string;
  position: string;
}

export async function measureClaimGrowth(ctx: BenchContext): Promise<void> {
  const budget = Math.round(Math.max(5, Math.min(ctx.quick ? 30 : 90, ctx.secondsLeft() - 10)));
  const samples = ctx.quick ? 10 : 20;
  const reads = ctx.quick ? 50 : 200;
  const running = await startApi({ NEWSROOM_DB: join(ctx.dir, 'growth.db') });
  try {
    const sources: Written[] = [];
    for (let s = 0; s < SOURCES; s++) {
      sources.push(
        await api<Written>(running.url, 'POST', '/sources', { name: `Bench voice ${s + 1}`, kind: 'person' }),
      );
    }
    const claim = await api<Written>(running.url, 'POST', '/claims', {
      storyId: 'bench-growth',
      proposition: { text: 'one busy claim', language: 'en' },
      valueKind: 'quantity',
    });
    /** The recorded positions of the claim's events so far: the cuts W7 reads at. */
    const positions: string[] = [claim.position];
    let n = 0;
    const post = async () => {
      const i = n++;
      const written = await api<Written>(running.url, 'POST', `/claims/${claim.id}/statements`, {
        statementId: randomUUID(),
        sourceId: (sources[i % SOURCES] as Written).id,
        stance: i % 3 === 0 ? 'denies' : 'affirms',
        value: { exact: i % 7 },
        quote: { text: 'قال المتحدث إن العدد تجاوز المئة', language: 'ar' },
        statedAt: { at: '2017-10-15T09:00:00Z', precision: 'hour' },
        attribution: 'on-record',
      });
      positions.push(written.position);
    };
    // Seconds spent growing the claim (the timed writes and reads are not counted).
    let grown = 0;
    for (const size of SIZES) {
      const what = `write latency on one claim at ${size.toLocaleString('en-US')} statements`;
      // Grow in slices, so an exhausted budget stops within one slice.
      while (n < size - samples / 2 && grown < budget) {
        const slice = performance.now();
        await inParallel(Math.min(64, size - samples / 2 - n), 16, post);
        grown += since(slice);
      }
      if (n < size - samples / 2) {
        const note = `not reached within the ${budget} s growth budget (grew to ${n})`;
        ctx.report.skip('W6', what, 'ms', note);
        ctx.report.skip('W7', readWhat('current', size), 'bytes', note);
        ctx.report.skip('W7', readWhat('asOfPosition', size), 'bytes', note);
        continue;
      }
      const latencies: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        await post();
        latencies.push(performance.now() - t);
      }
      ctx.report.add({
        id: 'W6',
        what,
        value: percentile(latencies, 50),
        unit: 'ms (p50)',
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        details: { samples: latencies.length, statementsAfter: n, sources: SOURCES },
      });
      const path = `/claims/${claim.id}`;
      await timeReads(ctx, running.url, readWhat('current', size), n, reads, () => path);
      const cuts = [...positions];
      await timeReads(ctx, running.url, readWhat('asOfPosition', size), n, reads, () => {
        const cut = cuts[Math.floor(Math.random() * cuts.length)] as string;
        return `${path}?asOfPosition=${cut}`;
      });
    }
  } finally {
    await running.stop();
  }
}

function readWhat(kind: 'current' | 'asOfPosition', size: number): string {
  const read = kind === 'current' ? 'current reads' : 'asOfPosition reads (random event)';
  return `${read} of one claim at ${size.toLocaleString('en-US')} statements, ${SOURCES} sources`;
}

/** W7: `count` sequential GETs (at most 10 s; 3 s with --quick, 1 s past the run's budget). */
async function timeReads(
  ctx: BenchContext,
  url: string,
  what: string,
  statements: number,
  count: number,
  path: () => string,
): Promise<void> {
  const headers = { authorization: `Bearer ${BENCH_KEY}` };
  const latencies: number[] = [];
  const bytes: number[] = [];
  let failures = 0;
  const started = performance.now();
  // At least a second of reads, even past the run's budget: a short series beats no figure.
  const cap = Math.max(1, Math.min(ctx.quick ? 3 : 10, ctx.secondsLeft()));
  for (let i = 0; i < count && since(started) < cap; i++) {
    const t = performance.now();
    const response = await fetch(`${url}${path()}`, { headers });
    const body = await response.arrayBuffer();
    latencies.push(performance.now() - t);
    bytes.push(body.byteLength);
    if (response.status !== 200) failures++;
  }
  ctx.report.add({
    id: 'W7',
    what,
    value: median(bytes),
    unit: 'bytes (p50)',
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ...(failures > 0 ? { note: `${failures} answers not 200` } : {}),
    details: {
      reads: latencies.length,
      failures,
      p90Ms: percentile(latencies, 90),
      statements,
      bytesMin: Math.min(...bytes),
      bytesMax: Math.max(...bytes),
    },
  });
}
