/** When to try a call again, and how long to wait: capped exponential backoff with full jitter. */

export interface RetryPolicy {
  /** Attempts after the first; 0 disables retries. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 300, maxDelayMs: 5000 };

/** Full jitter (a random delay up to the capped exponential): retries of many clients do not synchronise. */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry - 1, 20));
  return Math.round(random() * ceiling);
}
