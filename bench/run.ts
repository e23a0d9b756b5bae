/**
 * `npm run bench [-- --quick] [-- --only limits,appends,http,log,growth]`: the workloads of
 * docs/performance.md on this machine, each printed as table rows as it finishes and all written to
 * bench/results/<time>.json, beside the machine's own limits measured in the same run. Nothing here
 * asserts a speed; tests never time anything. A default run takes under 10 minutes, --quick under 2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './workloads/context';
import { measureLimits } from './workloads/limits';
import { measureAppends } from './workloads/appends';
import { measureHttpWrites } from './workloads/http-writes';
import { measureLog } from './workloads/log';
import { measureClaimGrowth } from './workloads/claim-growth';
import { ROOT } from './support/processes';
import { header, Report, since } from './support/report';

const WORKLOADS: Record<string, { title: string; run: (ctx: BenchContext) => Promise<void> }> = {
  limits: { title: 'L  the machine’s own limits', run: measureLimits },
  appends: { title: 'W1/W5  appends in process, ours and Emmett’s, interleaved', run: measureAppends },
  http: { title: 'W1  POST statements over HTTP (wrk)', run: measureHttpWrites },
  log: { title: 'W2/W3/W4  rebuild, asOf reads and verify of a generated log', run: measureLog },
  growth: { title: 'W6/W7  writes and reads as one claim grows', run: measureClaimGrowth },
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((arg) => arg.startsWith('--only'));
  const only =
    onlyArg === undefined ? undefined : (onlyArg.split('=')[1] ?? argv[argv.indexOf(onlyArg) + 1] ?? '');
  const selected = only === undefined ? Object.keys(WORKLOADS) : only.split(',').map((name) => name.trim());
  const unknown = selected.filter((name) => !(name in WORKLOADS));
  if (unknown.length > 0)
    throw new Error(`unknown workload ${unknown.join(', ')}: ${Object.keys(WORKLOADS).join(', ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'newsroom-bench-'));
  const report = new Report();
  const started = performance.now();
  // The build (about 15 s) runs before this process; the rest must fit in the time the issue allows.
  const budget = quick ? 110 : 570;
  const ctx: BenchContext = {
    report,
    dir,
    quick,
    rssFile: (name) => join(dir, `${name}.rss`),
    secondsLeft: () => budget - since(started),
  };
  const at = new Date().toISOString();
  console.log(
    `newsroom ledger bench${quick ? ' --quick' : ''} — node ${process.version}, ${cpus().length} cores, ${at}\n`,
  );
  console.log(header());
  try {
    for (const name of selected) {
      const workload = WORKLOADS[name] as (typeof WORKLOADS)[string];
      const t = performance.now();
      console.log(`— ${workload.title}`);
      try {
        await workload.run(ctx);
      } catch (error) {
        report.skip(name, `${workload.title}: failed`, '', (error as Error).stack ?? String(error));
      }
      console.log(`    (${Math.round(since(t))} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${at.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) };
  const result = {
    node: process.version,
    at,
    quick,
    machine,
    seconds: Math.round(since(started)),
    rows: report.rows,
  };
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`\n${Math.round(since(started))} s; written to ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
