/** Callbacks leave through the durable outbox: retried while the receiver fails, never lost across a restart. */
import { afterEach, describe, expect, it } from 'vitest';
import { retrySchedule } from '../../src/outbox/retry-schedule.js';
import { transactionDetail } from '../support/admin-client.js';
import { startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES, freshTestDatabase } from '../support/engines.js';
import { CollectionClient, requestToPayBody, sleep } from '../support/momo-client.js';
import { samePartnerClients } from '../support/parties.js';
import { ManualClock, startTestServer, type TestServer } from '../support/test-server.js';

interface CallbackDetail {
  state: string;
  attempts: number;
  method: string;
  attemptLog: { attempt: number; startedAtMs: number; responseStatus: number | null; error: string | null }[];
}

async function callbacksOf(
  server: TestServer,
  client: CollectionClient,
  referenceId: string,
): Promise<CallbackDetail[]> {
  return (await transactionDetail(server.baseUrl, client, referenceId)).callbacks as CallbackDetail[];
}

async function waitForCallbackState(
  server: TestServer,
  client: CollectionClient,
  referenceId: string,
  state: string,
  options: { minAttempts?: number; timeoutMs?: number } = {},
) {
  const { minAttempts = 0, timeoutMs = 10_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [callback] = await callbacksOf(server, client, referenceId);
    if (callback?.state === state && callback.attemptLog.length >= minAttempts) {
      return callback;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `callback ${callback?.state ?? 'absent'} after ${timeoutMs} ms, expected ${state} with ${minAttempts}+ attempts`,
      );
    }
    await sleep(20);
  }
}

describe.each(ENGINES)('callback delivery on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });
  const started = async <T extends { close(): Promise<void> }>(thing: Promise<T>): Promise<T> => {
    const value = await thing;
    cleanups.push(() => value.close());
    return value;
  };

  it('retries with growing delays while the receiver answers 503, then marks the callback delivered', async () => {
    const server = await started(startTestServer(engine));
    const receiver = await started(startCallbackReceiver());
    const client = await CollectionClient.create(server.baseUrl);
    receiver.answerWith(503);
    const created = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });
    await receiver.waitFor(3);
    receiver.answerWith(200);
    const delivered = await waitForCallbackState(server, client, created.referenceId, 'DELIVERED');
    const log = delivered.attemptLog;
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.slice(0, -1).every((attempt) => attempt.responseStatus === 503)).toBe(true);
    expect(log.at(-1)?.responseStatus).toBe(200);
    const gaps = log.slice(1).map((attempt, i) => attempt.startedAtMs - (log[i]?.startedAtMs ?? 0));
    // Test config: 20 ms base doubling to a 200 ms cap; each gap is at least the scheduled delay.
    expect(gaps[0]).toBeGreaterThanOrEqual(20);
    expect(gaps[1]).toBeGreaterThanOrEqual(40);
    expect(gaps[2]).toBeGreaterThanOrEqual(80);
  });

  it('delivers every callback once the receiver is back from a long outage, within the scheduled attempts', async () => {
    const server = await started(startTestServer(engine));
    const client = await CollectionClient.create(server.baseUrl);
    const doomedReceiver = await startCallbackReceiver();
    const port = doomedReceiver.port;
    await doomedReceiver.close();
    const outageStartedMs = Date.now();
    const created = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.requestToPay(requestToPayBody(), { callbackUrl: `http://127.0.0.1:${port}/callback` }),
      ),
    );
    // The test policy (20 ms doubling to a 200 ms cap) plays an outage of hours under the 1 s / 1 h defaults
    // as 1.5 s: the exponential start and a long tail of capped retries.
    await sleep(1500);
    const receiver = await started(startCallbackReceiver(port));
    const outageMs = Date.now() - outageStartedMs;

    const delivered = await Promise.all(
      created.map(({ referenceId }) => waitForCallbackState(server, client, referenceId, 'DELIVERED')),
    );
    // Attempt k starts no earlier than the sum of the first k-1 delays, so a failed attempt fits in the outage.
    const policy = { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 1000 };
    let elapsedMs = 0;
    let attemptsInOutage = 1;
    for (const delayMs of retrySchedule(policy)) {
      elapsedMs += delayMs;
      if (elapsedMs > outageMs) {
        break;
      }
      attemptsInOutage++;
    }
    for (const callback of delivered) {
      expect(callback.attemptLog.slice(0, -1).every((attempt) => attempt.responseStatus === null)).toBe(true);
      expect(callback.attemptLog.at(-1)?.responseStatus).toBe(200);
      expect(callback.attempts).toBeGreaterThanOrEqual(5);
      expect(callback.attempts).toBeLessThanOrEqual(attemptsInOutage + 1);
    }
    expect(receiver.received).toHaveLength(created.length);
  });

  it('gives up after the last attempt and keeps the callback as DEAD with every attempt logged', async () => {
    const server = await started(startTestServer(engine, { config: { callbackMaxAttempts: 3 } }));
    const receiver = await started(startCallbackReceiver());
    const client = await CollectionClient.create(server.baseUrl);
    receiver.answerWith(500);
    const created = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });
    const dead = await waitForCallbackState(server, client, created.referenceId, 'DEAD');
    expect(dead.attempts).toBe(3);
    expect(dead.attemptLog.map((attempt) => attempt.error)).toEqual([
      'receiver answered 500',
      'receiver answered 500',
      'receiver answered 500',
    ]);
  });

  it('sends no callback when the request named no X-Callback-Url', async () => {
    const server = await started(startTestServer(engine));
    const client = await CollectionClient.create(server.baseUrl);
    const created = await client.requestToPay(requestToPayBody());
    await client.waitForFinalStatus(created.referenceId);
    expect(await callbacksOf(server, client, created.referenceId)).toEqual([]);
  });

  it('delivers a callback that was due when the server stopped once a new server starts on the same database', async () => {
    const database = freshTestDatabase(engine);
    const first = await startTestServer(engine, { database });
    const client = await CollectionClient.create(first.baseUrl);
    const doomedReceiver = await startCallbackReceiver();
    const port = doomedReceiver.port;
    await doomedReceiver.close();
    const created = await client.requestToPay(requestToPayBody(), {
      callbackUrl: `http://127.0.0.1:${port}/after-restart`,
    });
    const final = await client.waitForFinalStatus(created.referenceId);
    const pending = await waitForCallbackState(first, client, created.referenceId, 'PENDING', {
      minAttempts: 1,
    });
    expect(pending.attemptLog[0]).toMatchObject({
      responseStatus: null,
      error: expect.stringMatching(/fetch failed|ECONNREFUSED/),
    });
    await first.close();

    const receiver = await started(startCallbackReceiver(port));
    const second = await started(startTestServer(engine, { database }));
    const [callback] = await receiver.waitFor(1);
    expect(callback?.path).toBe('/after-restart');
    expect(callback?.body).toEqual(final);
    await waitForCallbackState(second, client, created.referenceId, 'DELIVERED');
  });

  it('calls back with POST for an API user in a production environment', async () => {
    const server = await started(startTestServer(engine));
    const receiver = await started(startCallbackReceiver());
    const { collection: ugandan } = await samePartnerClients(server.baseUrl, ['collection'], {
      name: 'Kampala Shop',
      targetEnvironment: 'mtnuganda',
    });
    const callbackUrl = receiver.url();
    const eur = await ugandan.create('/v1_0/requesttopay', requestToPayBody(), { callbackUrl });
    const ugx = await ugandan.create(
      '/v1_0/requesttopay',
      requestToPayBody({ amount: '15000', currency: 'UGX' }),
      {
        callbackUrl,
      },
    );
    expect(eur.status).toBe(400);
    expect(eur.body).toMatchObject({ code: 'INVALID_CURRENCY' });
    expect(ugx.status).toBe(202);
    const [callback] = await receiver.waitFor(1);
    expect(callback?.method).toBe('POST');
    expect(callback?.body).toMatchObject({ amount: '15000', currency: 'UGX', status: 'SUCCESSFUL' });
  });

  it('gives up at once on a callback to an address CALLBACK_PRIVATE_NETWORKS refuses, saying why, and sends it nothing', async () => {
    const server = await started(startTestServer(engine, { config: { callbackPrivateNetworks: 'deny' } }));
    const receiver = await started(startCallbackReceiver());
    const client = await CollectionClient.create(server.baseUrl);
    const created = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });

    const dead = await waitForCallbackState(server, client, created.referenceId, 'DEAD');

    expect(dead.attemptLog).toHaveLength(1);
    expect(dead.attemptLog[0]?.responseStatus).toBeNull();
    expect(dead.attemptLog[0]?.error).toBe(
      'refused: 127.0.0.1 is not a public address, and CALLBACK_PRIVATE_NETWORKS does not allow it',
    );
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'SUCCESSFUL' });
    expect(receiver.received).toEqual([]);
  });

  it('delivers to a private address that CALLBACK_PRIVATE_NETWORKS lists', async () => {
    const server = await started(
      startTestServer(engine, { config: { callbackPrivateNetworks: '127.0.0.0/8' } }),
    );
    const receiver = await started(startCallbackReceiver());
    const client = await CollectionClient.create(server.baseUrl);
    const created = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });

    await waitForCallbackState(server, client, created.referenceId, 'DELIVERED');
    expect(receiver.received).toHaveLength(1);
  });

  describe('retention (CALLBACK_RETENTION_DAYS)', () => {
    const DAY_MS = 86_400_000;

    /** A delivered callback and a given-up one, both tried at the clock's time. */
    async function finishedCallbacks(server: TestServer) {
      const receiver = await started(startCallbackReceiver());
      const client = await CollectionClient.create(server.baseUrl);
      const delivered = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });
      await waitForCallbackState(server, client, delivered.referenceId, 'DELIVERED');
      receiver.answerWith(500);
      const dead = await client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });
      await waitForCallbackState(server, client, dead.referenceId, 'DEAD');
      receiver.answerWith(200);
      return { receiver, client, referenceIds: [delivered.referenceId, dead.referenceId] };
    }

    it('forgets delivered and given-up callbacks, with their attempts, once the retention has passed since their last attempt', async () => {
      const clock = new ManualClock();
      const server = await started(
        startTestServer(engine, { clock, config: { callbackRetentionDays: 30, callbackMaxAttempts: 1 } }),
      );
      const { receiver, client, referenceIds } = await finishedCallbacks(server);

      clock.advance(30 * DAY_MS + 60_000);
      // A token lasts an hour: a month later the integration signs in again.
      const later = await CollectionClient.create(server.baseUrl);
      const recent = await later.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() });
      await waitForCallbackState(server, later, recent.referenceId, 'DELIVERED');

      for (const referenceId of referenceIds) {
        const deadline = Date.now() + 5000;
        while ((await callbacksOf(server, client, referenceId)).length > 0 && Date.now() < deadline) {
          await sleep(20);
        }
        const detail = await transactionDetail(server.baseUrl, client, referenceId);
        expect(detail.callbacks).toEqual([]);
        // The transaction itself, and the money it moved, are kept: only the delivery log goes.
        expect(detail.transaction).toMatchObject({ referenceId });
      }
      expect(await callbacksOf(server, later, recent.referenceId)).toMatchObject([{ state: 'DELIVERED' }]);
    });

    it('keeps every callback for good with a retention of 0 days', async () => {
      const clock = new ManualClock();
      const server = await started(
        startTestServer(engine, { clock, config: { callbackRetentionDays: 0, callbackMaxAttempts: 1 } }),
      );
      const { client, referenceIds } = await finishedCallbacks(server);

      clock.advance(3650 * DAY_MS);
      // Ten times the workers' poll interval: a sweep would have run by now.
      await sleep(200);

      for (const referenceId of referenceIds) {
        expect(await callbacksOf(server, client, referenceId)).toHaveLength(1);
      }
    });
  });
});
