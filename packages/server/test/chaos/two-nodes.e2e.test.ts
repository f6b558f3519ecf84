/**
 * Two server processes on one PostgreSQL, each on its own port: requests spread over both, both nodes'
 * workers compete for the same due decisions and callbacks. Each callback is delivered once, each success is
 * posted once, the ledger balances, and a token from one node works on the other.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.js';
import { freshTestDatabase, type TestDatabase } from '../support/engines.js';
import {
  basicAuth,
  http,
  newSubscriptionKey,
  provisionSandboxUser,
  requestToPayBody,
} from '../support/momo-client.js';

const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'main.js');

async function startNode(database: TestDatabase): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [SERVER], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.databaseUrl,
      DATABASE_SCHEMA: database.postgresSchema ?? '',
      SANDBOX_MODE: 'true',
      LOG_LEVEL: 'silent',
      AUTO_APPROVAL_DELAY_MS: '20',
      WORKER_POLL_INTERVAL_MS: '10',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, baseUrl };
}

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

    const credentials = await provisionSandboxUser(a.baseUrl, { subscriptionKey: newSubscriptionKey() });
    const issued = await http(a.baseUrl, 'POST', '/collection/token/', {
      headers: {
        Authorization: basicAuth(credentials.apiUserId, credentials.apiKey),
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    const headers = {
      Authorization: `Bearer ${(issued.body as { access_token: string }).access_token}`,
      'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      'X-Target-Environment': 'sandbox',
      'Content-Type': 'application/json',
    };
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
        await admin(a.baseUrl, 'GET', `/api-users/${credentials.apiUserId}/transactions/${referenceId}`)
      ).body as { transfers: unknown[] };
      expect(detail.transfers).toHaveLength(1);
    }
    expect((await auditLedger(b.baseUrl)).balanced).toBe(true);
  });
});
