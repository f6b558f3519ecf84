/**
 * When a failed callback is tried again: capped exponential backoff, base × 2^(attempt−1) up to the cap.
 * With the defaults (1 s base, 1 h cap, 84 attempts) that is 1 s, 2 s, 4 s … 34 min, then hourly —
 * the hourly tail matching MTN's "long block" — for about three days in all (docs/decisions/0005).
 */

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** The delay after failed attempt number `attempt` (1-based), or null when no attempt is left. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number | null {
  if (attempt >= policy.maxAttempts) {
    return null;
  }
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the arithmetic finite.
  const exponent = Math.min(attempt - 1, 30);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/** The whole schedule: the delay before each retry, for documentation and tests. */
export function retrySchedule(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelayMs(policy, attempt);
    if (delay === null) {
      return delays;
    }
    delays.push(delay);
  }
}
