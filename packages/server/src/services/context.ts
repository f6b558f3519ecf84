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

/** What happened, after it committed: the dashboard's live view subscribes to these. */
export type PlatformEvent =
  | {
      readonly type: 'transaction';
      readonly transactionId: string;
      readonly status: string;
      readonly kind: string;
    }
  | {
      readonly type: 'callback';
      readonly callbackId: string;
      readonly transactionId: string;
      readonly state: string;
    };

export interface PlatformEvents {
  publish(event: PlatformEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: PlatformEvent) => void): () => void;
}

/**
 * In-process; on PostgreSQL, `shareEventsAcrossServers` carries them to the other servers on the database.
 */
export function createPlatformEvents(): PlatformEvents {
  const listeners = new Set<(event: PlatformEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        listener(event);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface ServiceContext {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly signals: WorkerSignals;
  readonly events: PlatformEvents;
}
