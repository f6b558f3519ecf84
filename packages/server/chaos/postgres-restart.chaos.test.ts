/**
 * PostgreSQL restarted under load (`npm run test:chaos`, not in `npm test`: it stops the database every other
 * test uses). While it is down the server answers 503 in MoMo's body, never 500, and keeps running; once it
 * is back, the same server serves again without a restart, and no acknowledged request was lost.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger } from '../test/support/admin-client.js';
import { openEventStream, requestToPayEvent } from '../test/support/event-stream.js';
import { CollectionClient, http, newSubscriptionKey, requestToPayBody } from '../test/support/momo-client.js';
import { startTestServer, type TestServer } from '../test/support/test-server.js';

const CLUSTER_VERSION = readdirSync('/etc/postgresql').sort().at(-1) as string;
function cluster(action: 'start' | 'stop'): void {
  const args = [
    '--skip-systemctl-redirect',
    CLUSTER_VERSION,
    'main',
    action,
    ...(action === 'stop' ? ['-m', 'fast'] : []),
  ];
  try {
    execFileSync('pg_ctlcluster', args, { stdio: 'ignore' });
  } catch (error) {
    // Starting a cluster that already runs fails harmlessly; anything else is a real failure.
    if (action === 'stop') {
      throw error;
    }
    execFileSync('pg_isready', ['-q', '-h', '127.0.0.1']);
  }
}

describe('PostgreSQL restarted under load', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgres');
  });
  afterAll(async () => {
    cluster('start');
    await server.close();
  });

  it('answers 503 while the database is down and recovers by itself when it is back', async () => {
    const client = await CollectionClient.create(server.baseUrl);
    const finalBefore = await client.requestToPay(requestToPayBody());
    expect(await client.waitForFinalStatus(finalBefore.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    const before = await client.requestToPay(requestToPayBody());
    expect(before.status).toBe(202);

    cluster('stop');
    const duringOutage = await Promise.all(
      Array.from({ length: 10 }, () => client.requestToPay(requestToPayBody())),
    );
    const refusals = [
      ...duringOutage,
      // A status read the server cannot answer from memory, and a subscription key it has not seen yet.
      await client.getRequestToPay(randomUUID()),
      await http(server.baseUrl, 'GET', `/collection/v1_0/requesttopay/${finalBefore.referenceId}`, {
        headers: client.headers({ 'Ocp-Apim-Subscription-Key': newSubscriptionKey() }),
      }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'Service temporarily unavailable, try again later.',
      });
    }
    // A final transaction the server keeps is still answered.
    expect(await client.getRequestToPay(finalBefore.referenceId)).toMatchObject({
      status: 200,
      body: { status: 'SUCCESSFUL' },
    });
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(503);

    cluster('start');
    let after = await client.requestToPay(requestToPayBody(), { referenceId: randomUUID() });
    for (let attempt = 0; after.status !== 202 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await client.requestToPay(requestToPayBody());
    }
    expect(after.status).toBe(202);
    expect(await client.waitForFinalStatus(before.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    expect(await client.waitForFinalStatus(after.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    // Requests refused with 503 left nothing behind.
    for (const refused of duringOutage) {
      expect((await client.getRequestToPay(refused.referenceId)).status).toBe(404);
    }
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it("streams another server's changes again once the database is back, without a restart", async () => {
    const other = await startTestServer('postgres', { database: server.database });
    let stream: Awaited<ReturnType<typeof openEventStream>> | undefined;
    try {
      cluster('stop');
      cluster('start');
      stream = await openEventStream(other.baseUrl);
      const client = await CollectionClient.create(server.baseUrl);
      // The listener connects again a second after each failed attempt: a change made before that is missed.
      let streamed = false;
      for (let attempt = 0; !streamed && attempt < 20; attempt++) {
        await client.requestToPay(requestToPayBody());
        streamed = await stream.next(requestToPayEvent('PENDING'), 1000).then(
          () => true,
          () => false,
        );
      }

      expect(streamed).toBe(true);
    } finally {
      stream?.close();
      await other.close();
    }
  });
});
