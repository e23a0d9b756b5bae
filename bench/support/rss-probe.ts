/**
 * Preloaded into the bench's child processes (`node --require rss-probe.js ...`): on exit, writes
 * the process's peak RSS (KB) to the file named by BENCH_RSS_FILE, so a child's memory is its own.
 * A SIGTERM from the bench (a run past its time cap) still exits through here.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
  process.on('SIGTERM', () => process.exit(143));
}
