/**
 * How long a command that lost a race to another process waits before it is decided again:
 * exponential backoff with full jitter (delay drawn uniformly from [0, min(cap, base * 2^n)]),
 * so writers that collided spread out instead of colliding again in step, within a total budget
 * after which the loss is reported (409). Time and randomness are injected so tests need no sleep.
 * Numbers and reasons: docs/decisions/0007-hot-streams.md.
 */
export interface RetryPolicyOptions {
  /** First backoff ceiling, in ms; doubled on every further loss. */
  baseDelayMs?: number;
  /** Largest backoff ceiling, in ms. */
  maxDelayMs?: number;
  /** Total time from the first attempt after which no further attempt starts, in ms. */
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  random?: () => number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

export const DEFAULT_RETRY_POLICY = { baseDelayMs: 4, maxDelayMs: 200, budgetMs: 2_500 } as const;

export class RetryPolicy {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly budgetMs: number;
  private readonly sleepFor: (ms: number) => Promise<void>;
  private readonly random: () => number;
  readonly now: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
    this.budgetMs = options.budgetMs ?? DEFAULT_RETRY_POLICY.budgetMs;
    this.sleepFor = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Called after the `losses`-th lost race (1 for the first) of an operation that started at
   * `startedAt`: waits and answers true to try again, or answers false at once when the wait would
   * end past the budget.
   */
  async backOff(losses: number, startedAt: number): Promise<boolean> {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(losses - 1, 30));
    const delay = this.random() * ceiling;
    if (this.now() - startedAt + delay > this.budgetMs) return false;
    if (delay > 0) await this.sleepFor(delay);
    return true;
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
