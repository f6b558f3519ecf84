/** What every service is built from: the store, the configuration, a clock, and the workers' wake-up calls. */
import type { Config } from '../config.js';
import type { Store } from '../storage/store.js';

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** Lets a service tell a worker that work is due now, instead of waiting for its next poll. */
export interface WorkerSignals {
  settlementDue(): void;
  callbacksDue(): void;
}

export interface ServiceContext {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly signals: WorkerSignals;
}
