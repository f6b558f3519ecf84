/**
 * Two server processes on one PostgreSQL, each on its own port: requests spread over both, both nodes'
 * workers compete for the same due decisions and callbacks. Each callback is delivered once, each success is
 * posted once, the ledger balances, and a token from one node works on the other.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.js';
import { freshTestDatabase, type TestDatabase } from '../support/engines.js';
import { http, ProductClient, requestToPayBody } from '../support/momo-client.js';
import { startServerProcess } from '../support/server-process.js';

const startNode = (database: TestDatabase) =>
  startServerProcess(database, { AUTO_APPROVAL_DELAY_MS: '20', WORKER_POLL_INTERVAL_MS: '10' });

describe('two servers on one PostgreSQL', () => {
  const nodes: ChildProcess[] = [];
  let receiver: CallbackReceiver | undefined;
  afterAll(async () => {
    for (const node of nodes) {
      node.kill('SIGTERM');
    }
    await receiver?.close();
  });

  it('delivers each callback once and posts each payment once while both nodes work', async () => {
    receiver = await startCallbackReceiver();
    const database = freshTestDatabase('postgres');
    const a = await startNode(database);
    nodes.push(a.child);
    const b = await startNode(database);
    nodes.push(b.child);

    const client = await ProductClient.forProduct(a.baseUrl, 'collection');
    const headers = client.headers({ 'Content-Type': 'application/json' });
    const referenceIds = Array.from({ length: 60 }, () => randomUUID());
    const created = await Promise.all(
      referenceIds.map((referenceId, i) =>
        http(i % 2 === 0 ? a.baseUrl : b.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
          headers: {
            ...headers,
            'X-Reference-Id': referenceId,
            'X-Callback-Url': receiver?.url(`/${referenceId}`) ?? '',
          },
          body: requestToPayBody({ amount: '1' }),
        }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(referenceIds.map(() => 202));

    await receiver.waitFor(referenceIds.length, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // any second delivery would arrive by now
    const deliveries = new Map<string, number>();
    for (const callback of receiver.received) {
      deliveries.set(callback.path, (deliveries.get(callback.path) ?? 0) + 1);
    }
    expect([...deliveries.values()].filter((count) => count !== 1)).toEqual([]);
    expect(deliveries.size).toBe(referenceIds.length);

    for (const referenceId of referenceIds) {
      const status = await http(b.baseUrl, 'GET', `/collection/v1_0/requesttopay/${referenceId}`, {
        headers,
      });
      expect(status.body).toMatchObject({ status: 'SUCCESSFUL' });
      const detail = (
        await admin(
          a.baseUrl,
          'GET',
          `/api-users/${client.credentials.apiUserId}/transactions/${referenceId}`,
        )
      ).body as { transfers: unknown[] };
      expect(detail.transfers).toHaveLength(1);
    }
    expect((await auditLedger(b.baseUrl)).balanced).toBe(true);
  });
});
