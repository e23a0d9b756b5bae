/**
 * W6: write latency on one claim as it grows. The built API on a fresh SQLite file; one claim is
 * grown over HTTP (16 concurrent writers) to 10, 100, 1,000 and 5,000 statements, and at each size
 * a run of sequential POSTs is timed. Growth has a time budget: sizes it cannot reach in time are
 * reported as not reached (a write whose cost grows with the claim makes 5,000 a long way off).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { api, inParallel, startApi } from '../support/processes';
import { percentile, since } from '../support/report';

const SIZES = [10, 100, 1_000, 5_000];

export async function measureClaimGrowth(ctx: BenchContext): Promise<void> {
  const budget = Math.round(Math.max(5, Math.min(ctx.quick ? 10 : 60, ctx.secondsLeft() - 10)));
  const samples = ctx.quick ? 10 : 20;
  const running = await startApi({ NEWSROOM_DB: join(ctx.dir, 'growth.db') });
  try {
    const source = await api<{ id: string }>(running.url, 'POST', '/sources', {
      name: 'Bench desk',
      kind: 'group',
    });
    const claim = await api<{ id: string }>(running.url, 'POST', '/claims', {
      storyId: 'bench-growth',
      proposition: { text: 'one busy claim', language: 'en' },
      valueKind: 'quantity',
    });
    let n = 0;
    const post = async () => {
      const i = n++;
      await api(running.url, 'POST', `/claims/${claim.id}/statements`, {
        statementId: randomUUID(),
        sourceId: source.id,
        stance: i % 3 === 0 ? 'denies' : 'affirms',
        value: { exact: i % 7 },
        quote: { text: 'قال المتحدث إن العدد تجاوز المئة', language: 'ar' },
        statedAt: { at: '2017-10-15T09:00:00Z', precision: 'hour' },
        attribution: 'on-record',
      });
    };
    const started = performance.now();
    for (const size of SIZES) {
      const what = `write latency on one claim at ${size.toLocaleString('en-US')} statements`;
      // Grow in slices, so an exhausted budget stops within one slice.
      while (n < size - samples / 2 && since(started) < budget) {
        await inParallel(Math.min(64, size - samples / 2 - n), 16, post);
      }
      if (n < size - samples / 2) {
        ctx.report.skip('W6', what, 'ms', `not reached within the ${budget} s growth budget (grew to ${n})`);
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
        details: { samples: latencies.length, statementsAfter: n },
      });
    }
  } finally {
    await running.stop();
  }
}
