/** Enqueues a callback inside the transaction that changed the status: both commit, or neither does. */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Repositories } from '../storage/store.js';

export interface CallbackRequest {
  readonly transactionId: string;
  readonly url: string;
  readonly targetEnvironment: string;
  readonly body: unknown;
  readonly nowMs: number;
}

/** MTN's sandbox calls back with PUT; production deployments have been seen to use POST. */
export function callbackMethodFor(config: Config, targetEnvironment: string): 'PUT' | 'POST' {
  return targetEnvironment === 'sandbox' ? config.callbackMethodSandbox : config.callbackMethodProduction;
}

export async function enqueueCallback(
  tx: Repositories,
  config: Config,
  request: CallbackRequest,
): Promise<string> {
  const id = randomUUID();
  await tx.outbox.insert({
    id,
    transactionId: request.transactionId,
    url: request.url,
    method: callbackMethodFor(config, request.targetEnvironment),
    bodyJson: JSON.stringify(request.body),
    state: 'PENDING',
    attempts: 0,
    nextAttemptAtMs: request.nowMs,
    leaseOwner: null,
    leaseUntilMs: null,
    lastError: null,
    createdAtMs: request.nowMs,
    deliveredAtMs: null,
  });
  return id;
}
