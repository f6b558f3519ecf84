/**
 * An asynchronous MoMo resource as the client shows it: a function that creates it and returns its
 * reference id, with `get` (its status) and `waitForFinalStatus` (polling with backoff until not PENDING).
 */
import type { TransactionStatus } from '@openmomo/contract';
import { MomoError, MomoNotFoundError, unexpectedAnswer } from '../errors.js';
import { asRecord, asText } from '../parsing.js';
import type { ProductApi } from '../product-api.js';
import { abortedError, pause } from '../transport.js';

export interface CreateOptions {
  /** X-Reference-Id; generated (UUID v4) when omitted, and kept across retries. */
  readonly referenceId?: string;
  /** X-Callback-Url: its host must be the API user's providerCallbackHost. */
  readonly callbackUrl?: string;
  /**
   * Ends the call with `MomoConnectionError` code `ABORTED`. The request may have reached the server already:
   * the error's `referenceId` names it, and creating again with that id cannot make a second one (a
   * `MomoConflictError` then means the first exists).
   */
  readonly signal?: AbortSignal;
}

export interface ReadOptions {
  /** Ends the call with `MomoConnectionError` code `ABORTED`. */
  readonly signal?: AbortSignal;
}

export interface Created {
  readonly referenceId: string;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** First delay between polls; it grows by half each time, up to `maxIntervalMs`. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Ends the wait, and the status read under way, with `MomoConnectionError` code `ABORTED`. */
  readonly signal?: AbortSignal;
}

export interface AsyncResource<Body, Result extends { status: TransactionStatus | string }> {
  (body: Body, options?: CreateOptions): Promise<Created>;
  /**
   * The status now; a FAILED transaction is a result (with its reason), not an error. An answer without a status
   * (a proxy's or a captive portal's page) throws `MomoError` code `UNEXPECTED_RESPONSE`.
   */
  get(referenceId: string, options?: ReadOptions): Promise<Result>;
  /**
   * Polls until the status is no longer PENDING; throws `MomoError` code `WAIT_TIMEOUT` after `timeoutMs`. A 404
   * is read as not visible yet (MTN's status reads may not find a resource just after its 202) until
   * `timeoutMs`, when that `MomoNotFoundError` is thrown.
   */
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
      signal: options.signal,
    });
    return { referenceId };
  };
  const read = async (referenceId: string, signal?: AbortSignal): Promise<Result> => {
    const answer = await api.call({
      method: 'GET',
      path: `${config.statusPath}/${encodeURIComponent(referenceId)}`,
      idempotent: true,
      referenceId,
      signal,
    });
    if (asText(asRecord(answer.body).status) === undefined) {
      throw unexpectedAnswer(answer, 'a status', referenceId);
    }
    return config.parse(answer.body);
  };
  const waitForFinalStatus = async (referenceId: string, options: WaitOptions = {}): Promise<Result> => {
    const { signal } = options;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let interval = options.intervalMs ?? 250;
    for (;;) {
      let notFound: MomoNotFoundError | undefined;
      try {
        const result = await read(referenceId, signal);
        if (result.status !== 'PENDING') {
          return result;
        }
      } catch (error) {
        if (!(error instanceof MomoNotFoundError)) {
          throw error;
        }
        notFound = error;
      }
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) {
        throw (
          notFound ??
          new MomoError({
            status: null,
            code: 'WAIT_TIMEOUT',
            message: `${referenceId} was still PENDING after ${options.timeoutMs ?? 60_000} ms`,
            referenceId,
          })
        );
      }
      // The last read is at the deadline, not an interval before it.
      await pause(Math.min(interval, leftMs), signal);
      if (signal?.aborted === true) {
        throw abortedError(`waiting for ${referenceId}`, signal, referenceId);
      }
      interval = Math.min(Math.round(interval * 1.5), options.maxIntervalMs ?? 5000);
    }
  };
  return Object.assign(create, {
    get: (referenceId: string, options: ReadOptions = {}) => read(referenceId, options.signal),
    waitForFinalStatus,
  });
}
