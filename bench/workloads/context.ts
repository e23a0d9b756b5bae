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
  /**
   * Seconds left of the run's time budget (under 10 minutes in all, 2 with --quick): the long
   * workloads cap themselves by it, so slow code shows as capped figures, not as a run past time.
   */
  secondsLeft(): number;
}
