import type { Report } from '../support/report';

/** What every workload gets: where to put its files, how long to run, where to report. */
export interface BenchContext {
  report: Report;
  /** A temporary directory, removed after the run. */
  dir: string;
  /** `--quick`: the same workloads, smaller and shorter (within 2 minutes). */
  quick: boolean;
  /** Files named here for child processes' peak RSS. */
  rssFile(name: string): string;
}
