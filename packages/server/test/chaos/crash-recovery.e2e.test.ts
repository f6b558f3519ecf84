/**
 * kill -9 in the middle of a load of requests to pay and payouts, then a restart on the same database:
 * every 202 a client received exists, nothing was applied twice, the ledger sums to zero, and every final
 * transaction's callback is delivered. The server runs as its own process (the compiled one `npm test` builds).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES, freshTestDatabase, type TestDatabase } from '../support/engines.js';
import { http, ProductClient, requestToPayBody, transferBody } from '../support/momo-client.js';
import { startServerProcess } from '../support/server-process.js';

/** An API user of `product` with a token, as the headers its requests carry. */
async function caller(baseUrl: string, product: 'collection' | 'disbursement') {
  const client = await ProductClient.forProduct(baseUrl, product);
  return {
    apiUserId: client.credentials.apiUserId,
    headers: client.headers({ 'Content-Type': 'application/json' }),
  };
}

const startServer = (database: TestDatabase) =>
  startServerProcess(database, {
    AUTO_APPROVAL_DELAY_MS: '30',
    WORKER_POLL_INTERVAL_MS: '20',
    CALLBACK_RETRY_BASE_DELAY_MS: '20',
    CALLBACK_RETRY_MAX_DELAY_MS: '200',
  });

describe.each(ENGINES)('crash recovery on %s', (engine) => {
  const children: ChildProcess[] = [];
  let receiver: CallbackReceiver | undefined;
  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    await receiver?.close();
  });

  it('loses nothing and doubles nothing when the server is killed mid-load and restarted', async () => {
    receiver = await startCallbackReceiver();
    const database = freshTestDatabase(engine);
    const first = await startServer(database);
    children.push(first.child);
    const collection = await caller(first.baseUrl, 'collection');
    const disbursement = await caller(first.baseUrl, 'disbursement');
    const accepted: { path: string; headers: Record<string, string>; referenceId: string }[] = [];

    // Fire requests from 8 loops; the kill lands while many are in flight.
    let stop = false;
    const loops = Array.from({ length: 8 }, async (_, loop) => {
      for (let i = 0; !stop; i++) {
        const payout = (loop + i) % 3 === 0;
        const caller = payout ? disbursement : collection;
        const path = payout ? '/disbursement/v1_0/transfer' : '/collection/v1_0/requesttopay';
        const referenceId = randomUUID();
        try {
          const response = await http(first.baseUrl, 'POST', path, {
            headers: {
              ...caller.headers,
              'X-Reference-Id': referenceId,
              'X-Callback-Url': receiver?.url(`/${referenceId}`) ?? '',
            },
            body: payout ? transferBody({ amount: '3' }) : requestToPayBody({ amount: '2' }),
          });
          if (response.status === 202) {
            accepted.push({ path, headers: caller.headers, referenceId });
          }
        } catch {
          // The connection died with the server: the outcome is unknown, as for a real client.
        }
      }
    });
    // Killed once enough were accepted, however slow the machine is now, and with more still in flight.
    const killDeadline = Date.now() + 20_000;
    while (accepted.length < 40 && Date.now() < killDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(loops);
    expect(accepted.length).toBeGreaterThan(20);

    const second = await startServer(database);
    children.push(second.child);
    // Every acknowledged creation exists, and each reaches a final status once the restarted server settles it.
    const finals = new Map<string, string>();
    const deadline = Date.now() + 20_000;
    for (const request of accepted) {
      for (;;) {
        const status = await http(second.baseUrl, 'GET', `${request.path}/${request.referenceId}`, {
          headers: request.headers,
        });
        expect(status.status, request.referenceId).toBe(200);
        const value = (status.body as { status: string }).status;
        if (value !== 'PENDING' || Date.now() > deadline) {
          finals.set(request.referenceId, value);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect([...finals.values()].filter((status) => status === 'PENDING')).toEqual([]);

    // Nothing applied twice: one ledger transfer per SUCCESSFUL transaction, none for a FAILED one.
    for (const request of accepted.slice(0, 40)) {
      const apiUserId =
        request.headers === collection.headers ? collection.apiUserId : disbursement.apiUserId;
      const detail = (
        await admin(second.baseUrl, 'GET', `/api-users/${apiUserId}/transactions/${request.referenceId}`)
      ).body as {
        transfers: unknown[];
      };
      expect(detail.transfers).toHaveLength(finals.get(request.referenceId) === 'SUCCESSFUL' ? 1 : 0);
    }
    expect((await auditLedger(second.baseUrl)).balanced).toBe(true);

    // Every final transaction's callback arrives, possibly more than once (at least once), never lost.
    const waitUntil = Date.now() + 20_000;
    const delivered = () => new Set(receiver?.received.map((callback) => callback.path.slice(1)));
    while (accepted.some((request) => !delivered().has(request.referenceId)) && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      accepted
        .filter((request) => !delivered().has(request.referenceId))
        .map((request) => request.referenceId),
    ).toEqual([]);
    // Longer than the suite's 20 s: the waits above allow 20 s each, so that a slow recovery fails on what it
    // did not do, not on the test's clock.
  }, 90_000);
});
