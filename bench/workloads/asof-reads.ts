/** W3: `asOf` reads of the busy claim of W2's log, on the API that has just rebuilt it. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { BENCH_KEY } from '../support/processes';
import { percentile, since } from '../support/report';
import { NO_WRK, hasWrk, runWrk, writeGetPathsScript } from '../support/wrk';

export interface BusyClaim {
  claimId: string;
  /** recordedAt of each of its events: the cuts W3 reads at. */
  instants: string[];
}

/**
 * Reads before the measured ones: the API has just started (W2), so its first reads run cold code
 * (2–3× the CPU of later ones while V8 tiers up, decision 0031) and would set W3's p99 by
 * themselves; the target is about a serving process's reads.
 */
const WARM_UP_READS = 50;

/**
 * W3: one reader, each read at the recorded time of a random event of the busy claim. The figure
 * is wrk's, one connection, reads back to back (as the HTTP write rows are measured): Node's
 * `fetch` in this process was the reader until session 7, and its own time per request (undici's
 * objects, this process's GC) set most of the p50 and the tail (decision 0045: on one API, p50
 * 1.9 against 0.5 ms, p99 7.0–7.9 against 3.1–4.6 ms). The fetch reads are still taken, after
 * wrk's, and shown beside the figure.
 */
export async function asOfReads(
  ctx: BenchContext,
  url: string,
  busy: BusyClaim,
  extra: number,
): Promise<void> {
  const what = `asOf reads of a busy claim (${busy.instants.length} events, ${extra} added), 1 reader`;
  const path = () =>
    `/claims/${busy.claimId}?asOf=${encodeURIComponent(busy.instants[Math.floor(Math.random() * busy.instants.length)] as string)}`;
  const headers = { authorization: `Bearer ${BENCH_KEY}` };
  const read = async () => {
    const response = await fetch(`${url}${path()}`, { headers });
    await response.arrayBuffer();
    return response.status;
  };
  for (let i = 0; i < WARM_UP_READS; i++) await read();
  const wrk = hasWrk()
    ? await runWrk({
        url,
        connections: 1,
        threads: 1,
        seconds: ctx.quick ? 2 : 5,
        script: writeGetPathsScript(
          join(ctx.dir, `asof-${randomUUID()}.lua`),
          Array.from({ length: 2000 }, path),
          Math.floor(Math.random() * 1e6),
        ),
      })
    : undefined;
  const count = ctx.quick ? 100 : 1000;
  const latencies: number[] = [];
  const started = performance.now();
  let failures = 0;
  for (let i = 0; i < count && since(started) < 60; i++) {
    const t = performance.now();
    const status = await read();
    latencies.push(performance.now() - t);
    if (status !== 200) failures++;
  }
  const viaFetch = {
    reads: latencies.length,
    perSecond: latencies.length / since(started),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
  };
  const fetchNote = `through Node's fetch: p50 ${viaFetch.p50Ms.toFixed(2)} / p99 ${viaFetch.p99Ms.toFixed(2)} ms`;
  const notes = [
    ...(wrk === undefined ? [NO_WRK.replace(': skipped', ": the figure is fetch's")] : [fetchNote]),
    ...(failures + (wrk?.non2xx ?? 0) > 0 ? [`${failures + (wrk?.non2xx ?? 0)} answers not 200`] : []),
  ];
  ctx.report.add({
    id: 'W3',
    what,
    value: wrk?.perSecond ?? viaFetch.perSecond,
    unit: 'reads/s',
    p50Ms: wrk?.p50Ms ?? viaFetch.p50Ms,
    p99Ms: wrk?.p99Ms ?? viaFetch.p99Ms,
    note: notes.join('; '),
    details: {
      client: wrk === undefined ? 'fetch' : 'wrk -t1 -c1',
      wrk,
      viaFetch,
      warmUpReads: WARM_UP_READS,
    },
  });
}
