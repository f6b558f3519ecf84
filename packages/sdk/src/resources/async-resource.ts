/**
 * An asynchronous MoMo resource as the client shows it: a function that creates it and returns its
 * reference id, with `get` (its status) and `waitForFinalStatus` (polling with backoff until not PENDING).
 */
import type { TransactionStatus } from '@openmomo/contract';
import { MomoError } from '../errors.js';
import type { ProductApi } from '../product-api.js';

export interface CreateOptions {
  /** X-Reference-Id; generated (UUID v4) when omitted, and kept across retries. */
  readonly referenceId?: string;
  /** X-Callback-Url: its host must be the API user's providerCallbackHost. */
  readonly callbackUrl?: string;
}

export interface Created {
  readonly referenceId: string;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** First delay between polls; it grows by half each time, up to `maxIntervalMs`. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
}

export interface AsyncResource<Body, Result extends { status: TransactionStatus | string }> {
  (body: Body, options?: CreateOptions): Promise<Created>;
  /** The status now; a FAILED transaction is a result (with its reason), not an error. */
  get(referenceId: string): Promise<Result>;
  /** Polls until the status is no longer PENDING; throws `MomoError` code `WAIT_TIMEOUT` after `timeoutMs`. */
  waitForFinalStatus(referenceId: string, options?: WaitOptions): Promise<Result>;
}

export function asyncResource<Body, Result extends { status: TransactionStatus | string }>(config: {
  readonly api: ProductApi;
  readonly createPath: string;
  readonly statusPath: string;
  readonly parse: (raw: unknown) => Result;
}): AsyncResource<Body, Result> {
  const { api } = config;
  const create = async (body: Body, options: CreateOptions = {}): Promise<Created> => {
    // Fixed before the first attempt, so a retry after a lost answer cannot create a second transaction.
    const referenceId = options.referenceId ?? crypto.randomUUID();
    await api.call({
      method: 'POST',
      path: config.createPath,
      json: body,
      headers: {
        'X-Reference-Id': referenceId,
        ...(options.callbackUrl === undefined ? {} : { 'X-Callback-Url': options.callbackUrl }),
      },
      idempotent: true,
      isCreation: true,
      referenceId,
    });
    return { referenceId };
  };
  const get = async (referenceId: string): Promise<Result> => {
    const answer = await api.call({
      method: 'GET',
      path: `${config.statusPath}/${encodeURIComponent(referenceId)}`,
      idempotent: true,
      referenceId,
    });
    return config.parse(answer.body);
  };
  const waitForFinalStatus = async (referenceId: string, options: WaitOptions = {}): Promise<Result> => {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let interval = options.intervalMs ?? 250;
    for (;;) {
      const result = await get(referenceId);
      if (result.status !== 'PENDING') {
        return result;
      }
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) {
        throw new MomoError({
          status: null,
          code: 'WAIT_TIMEOUT',
          message: `${referenceId} was still PENDING after ${options.timeoutMs ?? 60_000} ms`,
          referenceId,
        });
      }
      // The last read is at the deadline, not an interval before it.
      await new Promise((resolve) => setTimeout(resolve, Math.min(interval, leftMs)));
      interval = Math.min(Math.round(interval * 1.5), options.maxIntervalMs ?? 5000);
    }
  };
  return Object.assign(create, { get, waitForFinalStatus });
}
