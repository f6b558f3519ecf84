import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { retryDelayMs, retrySchedule } from './retry-schedule.js';

const defaults = {
  baseDelayMs: DEFAULT_CONFIG.callbackRetryBaseDelayMs,
  maxDelayMs: DEFAULT_CONFIG.callbackRetryMaxDelayMs,
  maxAttempts: DEFAULT_CONFIG.callbackMaxAttempts,
};

describe('retryDelayMs', () => {
  it('doubles from the base delay', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(defaults, attempt))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(defaults, 40)).toBe(3_600_000);
  });

  it('gives up after the last attempt', () => {
    expect(retryDelayMs(defaults, defaults.maxAttempts)).toBeNull();
  });
});

describe('retrySchedule', () => {
  it('spans about three days with the default policy, as docs/decisions/0005 states', () => {
    const schedule = retrySchedule(defaults);
    const totalHours = schedule.reduce((sum, delay) => sum + delay, 0) / 3_600_000;
    expect(schedule).toHaveLength(defaults.maxAttempts - 1);
    expect(totalHours).toBeGreaterThan(72);
    expect(totalHours).toBeLessThan(74);
  });
});
