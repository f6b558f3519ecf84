/**
 * Delivers leased callbacks. A worker leases a batch (invisible to other workers until the lease ends),
 * sends each one, and records the attempt only if it still holds the lease. A worker that dies mid-batch
 * leaves rows whose lease simply runs out, and they are delivered again: at least once, never lost.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../services/context.js';
import type { FaultRules } from '../services/fault-rules.js';
import {
  callbackNetworkPolicy,
  type Fetch,
  guardedFetch,
  RefusedCallbackDestination,
} from './callback-destinations.js';
import { retryDelayMs } from './retry-schedule.js';

const BATCH_SIZE = 20;
/** A lease outlives the slowest attempt by this much, so a live worker never loses a row it is sending. */
const LEASE_MARGIN_MS = 10_000;
/** How much of a receiver's error answer is kept in the attempt log. */
const ERROR_BODY_EXCERPT_CHARS = 200;

export interface CallbackWorker {
  /** Delivers one batch of due callbacks; returns how many it leased. */
  deliverDue(): Promise<number>;
}

export interface CallbackWorkerOptions {
  readonly fetch?: Fetch;
  /** Sandbox fault rules for callbacks: a callback held back, sent twice, or never sent (decision 0025). */
  readonly faults?: FaultRules;
}

interface SendResult {
  readonly status: number | null;
  readonly error: string | null;
  readonly retryable: boolean;
  /** When the next attempt is due, where a fault rule decides it instead of the retry schedule. */
  readonly retryInMs?: number;
}

export function createCallbackWorker(
  context: ServiceContext,
  options: CallbackWorkerOptions = {},
): CallbackWorker {
  const { store, config, clock } = context;
  const fetchImpl =
    options.fetch ?? guardedFetch(callbackNetworkPolicy(config.callbackPrivateNetworks, config.sandboxMode));
  const leaseOwner = `worker-${randomUUID()}`;
  const policy = {
    baseDelayMs: config.callbackRetryBaseDelayMs,
    maxDelayMs: config.callbackRetryMaxDelayMs,
    maxAttempts: config.callbackMaxAttempts,
  };

  async function send(method: string, url: string, body: string): Promise<SendResult> {
    try {
      const response = await fetchImpl(url, {
        method,
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'OpenMoMo callback' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(config.callbackTimeoutMs),
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel();
        return { status: response.status, error: null, retryable: false };
      }
      const excerpt = (await response.text().catch(() => '')).slice(0, ERROR_BODY_EXCERPT_CHARS);
      return {
        status: response.status,
        error: `receiver answered ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}`,
        retryable: true,
      };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
      if (cause instanceof RefusedCallbackDestination) {
        return { status: null, error: cause.message, retryable: false };
      }
      return {
        status: null,
        error: `${error instanceof Error ? error.message : String(error)}${cause === undefined ? '' : `: ${cause.message}`}`,
        retryable: true,
      };
    }
  }

  /** Sends a callback, or does what a fault rule says instead. */
  async function deliver(row: {
    method: string;
    url: string;
    bodyJson: string;
    attempts: number;
  }): Promise<SendResult> {
    const fault = options.faults?.hit('callback', row.method, new URL(row.url).pathname);
    switch (fault?.fault) {
      case 'drop':
        return { status: null, error: 'not sent: dropped by a fault rule', retryable: false };
      case 'delay':
        // Only a first attempt is held back, and only where another remains: a callback is late, never lost.
        if (row.attempts > 0 || policy.maxAttempts < 2) {
          return send(row.method, row.url, row.bodyJson);
        }
        return {
          status: null,
          error: `not sent: held back ${fault.delayMs ?? 0} ms by a fault rule`,
          retryable: true,
          retryInMs: fault.delayMs ?? 0,
        };
      case 'duplicate': {
        const first = await send(row.method, row.url, row.bodyJson);
        if (first.error === null) {
          // The copy's answer does not matter: a receiver that deduplicates may refuse it.
          await send(row.method, row.url, row.bodyJson);
        }
        return first;
      }
      default:
        return send(row.method, row.url, row.bodyJson);
    }
  }

  return {
    async deliverDue() {
      const nowMs = clock.nowMs();
      const leased = await store.outbox.claimDue({
        leaseOwner,
        nowMs,
        leaseUntilMs: nowMs + config.callbackTimeoutMs + LEASE_MARGIN_MS,
        limit: BATCH_SIZE,
      });
      // A callback tells of a commit: it must be on disk before anyone hears of it (decision 0027).
      await store.untilDurable();
      await Promise.all(
        leased.map(async (row) => {
          const startedAtMs = clock.nowMs();
          const startedAt = performance.now();
          const result = await deliver(row);
          const durationMs = Math.round(performance.now() - startedAt);
          const attempt = row.attempts + 1;
          const delivered = result.error === null;
          const delay = delivered
            ? 0
            : result.retryable
              ? result.retryInMs !== undefined && attempt < policy.maxAttempts
                ? result.retryInMs
                : retryDelayMs(policy, attempt)
              : null;
          // The row's new state and its attempt log commit together: no reader sees one without the other.
          const nextState = delivered ? 'DELIVERED' : delay === null ? 'DEAD' : 'PENDING';
          const recorded = await store.transaction((tx) =>
            tx.outbox.recordAttempt({
              outboxId: row.id,
              leaseOwner,
              attempt: {
                outboxId: row.id,
                attempt,
                startedAtMs,
                durationMs,
                responseStatus: result.status,
                error: result.error,
              },
              nextState,
              nextAttemptAtMs: startedAtMs + (delay ?? 0),
            }),
          );
          if (recorded) {
            context.events.publish({
              type: 'callback',
              callbackId: row.id,
              transactionId: row.transactionId,
              state: nextState,
            });
          }
        }),
      );
      return leased.length;
    },
  };
}
