/**
 * Forgets delivered and given-up callbacks, with their attempt logs, once CALLBACK_RETENTION_DAYS have passed
 * since their last attempt (decision 0032). Without it the outbox grows by a row and its attempts for every
 * final transaction, for good. Pending callbacks are never touched: retention ends a delivery log, not a
 * delivery.
 */
import type { ServiceContext } from '../services/context.js';

const DAY_MS = 86_400_000;
/** How often, by the server's clock, retention looks for callbacks to forget. */
const SWEEP_EVERY_MS = 60_000;
/** Callbacks forgotten in one transaction at most: a short write, so requests do not queue behind it. */
const BATCH_SIZE = 100;

export interface CallbackRetention {
  /** Forgets one batch if a sweep is due; true when a full batch went and more may be waiting. */
  forgetExpired(): Promise<boolean>;
}

export function createCallbackRetention({ store, config, clock }: ServiceContext): CallbackRetention {
  let nextSweepAtMs = Number.NEGATIVE_INFINITY;
  return {
    async forgetExpired() {
      const nowMs = clock.nowMs();
      if (config.callbackRetentionDays === 0 || nowMs < nextSweepAtMs) {
        return false;
      }
      // Set first: a sweep that fails (the database is down) is tried again in a minute, not at every poll.
      nextSweepAtMs = nowMs + SWEEP_EVERY_MS;
      const forgotten = await store.transaction((tx) =>
        tx.outbox.deleteFinishedBefore(nowMs - config.callbackRetentionDays * DAY_MS, BATCH_SIZE),
      );
      if (forgotten === BATCH_SIZE) {
        // More may be waiting: the next batch goes at once.
        nextSweepAtMs = nowMs;
        return true;
      }
      return false;
    },
  };
}
