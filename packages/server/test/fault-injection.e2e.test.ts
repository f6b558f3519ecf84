/**
 * Failures on demand (sandbox mode): fault rules set through the operator API make MoMo calls fail as a bad
 * day at MTN's gateway does, so that a client's handling of each can be tested against a real server.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { admin, transactionDetail } from './support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.js';
import { ENGINES } from './support/engines.js';
import { CollectionClient, DUPLICATE_REFERENCE_ID, requestToPayBody, sleep } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const REQUEST_TO_PAY = '/collection/v1_0/requesttopay';

describe.each(ENGINES)('fault rules on %s', (engine) => {
  let server: TestServer;
  let client: CollectionClient;
  beforeAll(async () => {
    server = await startTestServer(engine);
    client = await CollectionClient.create(server.baseUrl);
  });
  afterAll(() => server.close());
  afterEach(async () => {
    await admin(server.baseUrl, 'DELETE', '/faults');
  });
  const addFault = async (rule: Record<string, unknown>) => {
    const added = await admin(server.baseUrl, 'POST', '/faults', rule);
    expect(added.status).toBe(201);
    return added.body as { id: string };
  };

  it('answers an injected error in the MoMo shape and creates nothing, then the rule is used up', async () => {
    await addFault({ method: 'POST', path: REQUEST_TO_PAY, fault: 'error', times: 1 });
    const referenceId = randomUUID();

    const failed = await client.requestToPay(requestToPayBody(), { referenceId });

    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({
      code: 'INTERNAL_PROCESSING_ERROR',
      message: 'Injected failure (OpenMoMo fault rule).',
    });
    expect((await client.getRequestToPay(referenceId)).status).toBe(404);
    expect((await client.requestToPay(requestToPayBody(), { referenceId })).status).toBe(202);
  });

  it('answers 503 SERVICE_UNAVAILABLE when told to fail with 503', async () => {
    await addFault({ path: '/collection/*', fault: 'error', status: 503 });

    const failed = await client.getRequestToPay(randomUUID());

    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('holds the answer back for delayMs, then handles the call', async () => {
    await addFault({ method: 'POST', path: REQUEST_TO_PAY, fault: 'delay', delayMs: 300 });
    const startedAt = Date.now();

    const created = await client.requestToPay(requestToPayBody());

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(created.status).toBe(202);
  });

  it('drops the connection after handling the call: the request exists, and its retry is a duplicate', async () => {
    await addFault({ method: 'POST', path: REQUEST_TO_PAY, fault: 'drop-response', times: 1 });
    const referenceId = randomUUID();

    await expect(client.requestToPay(requestToPayBody(), { referenceId })).rejects.toThrow();

    expect((await client.getRequestToPay(referenceId)).status).toBe(200);
    const retried = await client.requestToPay(requestToPayBody(), { referenceId });
    expect(retried.status).toBe(409);
    expect(retried.body).toEqual(DUPLICATE_REFERENCE_ID);
  });

  it('drops the connection before handling the call: nothing exists', async () => {
    await addFault({ method: 'POST', path: REQUEST_TO_PAY, fault: 'drop-request', times: 1 });
    const referenceId = randomUUID();

    await expect(client.requestToPay(requestToPayBody(), { referenceId })).rejects.toThrow();

    expect((await client.getRequestToPay(referenceId)).status).toBe(404);
  });

  it.each([
    ['repeated slashes', '//collection//v1_0/requesttopay'],
    ['a percent-encoded letter', '/collection/v1_0/requestto%70ay'],
  ])('hits a call whose path spells the route with %s, as the router reads it', async (_spelling, path) => {
    await addFault({ method: 'POST', path: REQUEST_TO_PAY, fault: 'error', status: 503 });

    const response = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
      body: JSON.stringify(requestToPayBody()),
    });

    expect(response.status).toBe(503);
  });

  it('leaves other methods and paths, and the operator API, alone', async () => {
    await addFault({ method: 'POST', path: '/collection/*', fault: 'error' });
    await addFault({ path: '/admin/*', fault: 'error' });

    expect((await client.getRequestToPay(randomUUID())).status).toBe(404);
    expect((await admin(server.baseUrl, 'GET', '/faults')).status).toBe(200);
  });

  it('lists the rules with their hits, and removes one by id', async () => {
    const rule = await addFault({ method: 'GET', path: '/collection/*', fault: 'error', status: 502 });
    await client.getRequestToPay(randomUUID());

    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([
      {
        id: rule.id,
        method: 'GET',
        path: '/collection/*',
        fault: 'error',
        status: 502,
        code: 'INTERNAL_PROCESSING_ERROR',
        hits: 1,
      },
    ]);
    expect((await admin(server.baseUrl, 'DELETE', `/faults/${rule.id}`)).status).toBe(204);
    expect((await client.getRequestToPay(randomUUID())).status).toBe(404);
    expect((await admin(server.baseUrl, 'DELETE', `/faults/${rule.id}`)).status).toBe(404);
  });

  it('refuses a delay without delayMs, an unknown fault, and a 401 that would count as failed logins', async () => {
    const noDelay = await admin(server.baseUrl, 'POST', '/faults', { path: '/collection/*', fault: 'delay' });
    const unknown = await admin(server.baseUrl, 'POST', '/faults', {
      path: '/collection/*',
      fault: 'explode',
    });
    const unauthorized = await admin(server.baseUrl, 'POST', '/faults', {
      path: '/collection/*',
      fault: 'error',
      status: 401,
    });

    for (const refused of [noDelay, unknown, unauthorized]) {
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([]);
  });

  describe('on callbacks', () => {
    let receiver: CallbackReceiver;
    beforeAll(async () => {
      receiver = await startCallbackReceiver();
    });
    afterAll(() => receiver.close());
    const callbacksOf = async (referenceId: string) =>
      (await transactionDetail(server.baseUrl, client, referenceId)).callbacks as {
        id: string;
        state: string;
        attemptLog: { error: string | null }[];
      }[];

    it('sends a callback twice when a duplicate rule hits it', async () => {
      await addFault({ on: 'callback', path: '/twice/*', fault: 'duplicate', times: 1 });

      await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url('/twice/1') });

      const [first, second] = await receiver.waitFor(2);
      expect(first?.body).toMatchObject({ status: 'SUCCESSFUL' });
      expect(second?.body).toEqual(first?.body);
    });

    it('counts a duplicated callback delivered by its first answer, though the receiver refuses the copy', async () => {
      await addFault({ on: 'callback', path: '/deduplicated/*', fault: 'duplicate', times: 1 });
      receiver.answerRepeatsWith(409);
      try {
        const before = receiver.received.length;
        const created = await client.requestToPay(requestToPayBody(), {
          callbackUrl: receiver.url('/deduplicated/1'),
        });
        await receiver.waitFor(before + 2);

        let [callback] = await callbacksOf(created.referenceId);
        for (let i = 0; i < 200 && callback?.state === 'PENDING'; i++) {
          await sleep(20);
          [callback] = await callbacksOf(created.referenceId);
        }
        expect(callback?.state).toBe('DELIVERED');
        expect(callback?.attemptLog).toEqual([expect.objectContaining({ error: null })]);
      } finally {
        receiver.answerRepeatsWith(undefined);
      }
    });

    it('never sends a callback a drop rule hits: it is DEAD, its attempt says why, and a replay sends it', async () => {
      await addFault({ on: 'callback', path: '/never/*', fault: 'drop', times: 1 });
      const created = await client.requestToPay(requestToPayBody(), {
        callbackUrl: receiver.url('/never/1'),
      });

      let [callback] = await callbacksOf(created.referenceId);
      for (let i = 0; i < 200 && callback?.state !== 'DEAD'; i++) {
        await sleep(20);
        [callback] = await callbacksOf(created.referenceId);
      }

      expect(callback?.attemptLog.map((attempt) => attempt.error)).toEqual([
        'not sent: dropped by a fault rule',
      ]);
      expect(receiver.received.filter((received) => received.path === '/never/1')).toEqual([]);
      const before = receiver.received.length;
      await admin(server.baseUrl, 'POST', `/callbacks/${callback?.id}/replay`);
      const [replayed] = (await receiver.waitFor(before + 1)).slice(before);
      expect(replayed?.path).toBe('/never/1');
    });

    it('holds a callback back for delayMs, then sends it, though the rule stays', async () => {
      await addFault({ on: 'callback', path: '/late/*', fault: 'delay', delayMs: 400 });
      const before = receiver.received.length;
      const createdAtMs = Date.now();

      await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url('/late/1') });

      const [late] = (await receiver.waitFor(before + 1)).slice(before);
      expect(late?.path).toBe('/late/1');
      expect((late?.receivedAtMs ?? 0) - createdAtMs).toBeGreaterThanOrEqual(400);
    });

    it('refuses a fault that only calls can have', async () => {
      const refused = await admin(server.baseUrl, 'POST', '/faults', {
        on: 'callback',
        path: '*',
        fault: 'error',
      });

      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        code: 'BAD_REQUEST',
        message: 'A callback fault is one of delay, drop, duplicate.',
      });
    });
  });
});

describe('fault rules outside sandbox mode', () => {
  it('are refused', async () => {
    const token = 'operator-token-of-sixteen';
    const server = await startTestServer('sqlite', { config: { sandboxMode: false, operatorToken: token } });
    try {
      const response = await fetch(`${server.baseUrl}/admin/v1/faults`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: '/collection/*', fault: 'error' }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'NOT_ALLOWED' });
    } finally {
      await server.close();
    }
  });
});
