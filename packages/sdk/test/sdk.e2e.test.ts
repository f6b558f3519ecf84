/** The SDK against a real OpenMoMo server on a real port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../../server/test/support/admin-client.js';
import { newSubscriptionKey } from '../../server/test/support/momo-client.js';
import { samePartnerClients } from '../../server/test/support/parties.js';
import { ManualClock, startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import {
  callbackHandler,
  MomoAuthenticationError,
  type MomoCallback,
  MomoClient,
  MomoConnectionError,
  MomoInvalidRequestError,
  MomoNotFoundError,
  MomoRateLimitError,
  type ProductCredentials,
  provisionSandboxUser,
} from '../src/index.js';
import { listening } from './support/listening.js';

const payer = (partyId: string) => ({ partyIdType: 'MSISDN' as const, partyId });
const requestToPay = (partyId = '256772000001', amount = '100') => ({
  amount,
  currency: 'EUR',
  externalId: 'order-1',
  payer: payer(partyId),
  payerMessage: 'Pay for order 1',
  payeeNote: 'Order 1',
});

/**
 * A fetch that records every call; `dropAnswerOf` makes it lose the answer of matching calls once each, and
 * `afterDrop` runs once an answer is lost.
 */
function observedFetch(
  options: { dropAnswerOf?: (url: string, init?: RequestInit) => boolean; afterDrop?: () => void } = {},
) {
  const calls: { method: string; url: string; headers: Record<string, string> }[] = [];
  const dropped = new Set<string>();
  const wrapped: typeof fetch = async (input, init) => {
    const url = String(input);
    calls.push({
      method: init?.method ?? 'GET',
      url,
      headers: { ...(init?.headers as Record<string, string>) },
    });
    const response = await fetch(input, init);
    const key = `${init?.method} ${url}`;
    if (options.dropAnswerOf?.(url, init) === true && !dropped.has(key)) {
      dropped.add(key);
      // The server did the work; the client never hears back (a connection reset after the request).
      await response.body?.cancel();
      options.afterDrop?.();
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    }
    return response;
  };
  return { fetch: wrapped, calls };
}

describe('MomoClient against OpenMoMo', () => {
  let server: TestServer;
  const clock = new ManualClock();

  const credentialsFor = (subscriptionKey = newSubscriptionKey()): Promise<ProductCredentials> =>
    provisionSandboxUser({ baseUrl: server.baseUrl, subscriptionKey, providerCallbackHost: '127.0.0.1' });
  /** A client of a new sandbox API user, calling through `fetch`. */
  const collectionClientWith = async (fetch: typeof globalThis.fetch) =>
    new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
      fetch,
    });
  const isRequestToPayPost = (url: string, init?: RequestInit) =>
    url.endsWith('/requesttopay') && init?.method === 'POST';

  beforeAll(async () => {
    server = await startTestServer('sqlite', { clock });
  });
  afterAll(() => server.close());

  it('provisions sandbox credentials, collects a payment and waits for its final status', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const { referenceId } = await momo.collection.requestToPay(requestToPay());
    expect(referenceId).toMatch(/^[0-9a-f-]{36}$/);
    const final = await momo.collection.requestToPay.waitForFinalStatus(referenceId, {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    expect(final).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '100',
      currency: 'EUR',
      payer: payer('256772000001'),
    });
    expect(await momo.collection.balance()).toEqual({ availableBalance: '1000100', currency: 'EUR' });
  });

  it('returns a FAILED transaction with a typed reason, not an error', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123451'));
    const final = await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 });
    expect(final.status).toBe('FAILED');
    expect(final.reason).toEqual({ code: 'APPROVAL_REJECTED', message: 'The payer rejected the request.' });
  });

  it('reads the bare-string reason of live platforms as the same typed reason', async () => {
    const live = await startTestServer('sqlite', { config: { reasonFormat: 'string' } });
    try {
      const credentials = await provisionSandboxUser({
        baseUrl: live.baseUrl,
        subscriptionKey: newSubscriptionKey(),
        providerCallbackHost: '127.0.0.1',
      });
      const momo = new MomoClient({
        baseUrl: live.baseUrl,
        targetEnvironment: 'sandbox',
        collection: credentials,
      });
      const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123451'));
      expect(
        (await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 })).reason,
      ).toEqual({ code: 'APPROVAL_REJECTED' });
    } finally {
      await live.close();
    }
  });

  it('asks for one token however many calls need it at once, and reuses it', async () => {
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    await Promise.all(Array.from({ length: 10 }, () => momo.collection.balance()));
    await momo.collection.balance();
    expect(observed.calls.filter((call) => call.url.endsWith('/collection/token/'))).toHaveLength(1);
  });

  it('gets a new token, once, when the server refuses the cached one', async () => {
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    await momo.collection.balance();
    clock.advance(2 * 3600 * 1000); // The server's clock: the token it issued has expired, the client cannot know.
    await expect(momo.collection.balance()).resolves.toMatchObject({ currency: 'EUR' });
    expect(observed.calls.filter((call) => call.url.endsWith('/collection/token/'))).toHaveLength(2);
  });

  it('retries a creation whose answer was lost with the same X-Reference-Id, and creates one transaction', async () => {
    const observed = observedFetch({ dropAnswerOf: isRequestToPayPost });
    const momo = await collectionClientWith(observed.fetch);
    const { referenceId } = await momo.collection.requestToPay(requestToPay('256772000002', '7'));
    const posts = observed.calls.filter(
      (call) => call.method === 'POST' && call.url.endsWith('/requesttopay'),
    );
    expect(posts).toHaveLength(2);
    expect(posts.map((call) => call.headers['X-Reference-Id'])).toEqual([referenceId, referenceId]);
    expect(
      (await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 })).status,
    ).toBe('SUCCESSFUL');
    expect(await momo.collection.balance()).toEqual({ availableBalance: '1000007', currency: 'EUR' });
  });

  it('reuses a token that lives less than the refresh margin until a quarter of its life is left', async () => {
    const shortLived = await startTestServer('sqlite', { config: { tokenTtlSeconds: 60 } });
    try {
      const observed = observedFetch();
      const momo = new MomoClient({
        baseUrl: shortLived.baseUrl,
        targetEnvironment: 'sandbox',
        collection: await provisionSandboxUser({
          baseUrl: shortLived.baseUrl,
          subscriptionKey: newSubscriptionKey(),
          providerCallbackHost: '127.0.0.1',
        }),
        fetch: observed.fetch,
      });

      await momo.collection.balance();
      await momo.collection.balance();

      expect(observed.calls.filter((call) => call.url.endsWith('/collection/token/'))).toHaveLength(1);
    } finally {
      await shortLived.close();
    }
  });

  it('counts a 409 as the success of a creation whose answer was lost while its token expired', async () => {
    const observed = observedFetch({
      dropAnswerOf: isRequestToPayPost,
      // The server's clock: the token expires before the retry, which is refused (401) and needs a new one.
      afterDrop: () => clock.advance(2 * 3600 * 1000),
    });
    const momo = await collectionClientWith(observed.fetch);

    const { referenceId } = await momo.collection.requestToPay(requestToPay('256772000021', '4'));

    expect(observed.calls.filter((call) => call.url.endsWith('/collection/token/'))).toHaveLength(2);
    expect(
      (await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 })).status,
    ).toBe('SUCCESSFUL');
  });

  it('does not send a cancel again when its answer was lost: a repeat would be refused after it went through', async () => {
    const credentials = await credentialsFor();
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: credentials,
    });
    const invoice = await momo.collection.invoice({
      amount: '20',
      currency: 'EUR',
      validityDuration: '3600',
      intendedPayer: { partyIdType: 'MSISDN', partyId: '46733123453' },
      payee: { partyIdType: 'MSISDN', partyId: '256772000005' },
      description: 'Invoice 8',
    });
    const observed = observedFetch({ dropAnswerOf: (_url, init) => init?.method === 'DELETE' });
    const cancelling = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: credentials,
      fetch: observed.fetch,
    });

    await expect(cancelling.collection.invoice.cancel(invoice.referenceId)).rejects.toBeInstanceOf(
      MomoConnectionError,
    );
    expect(observed.calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
  });

  it('retries a read refused with 429 and throws MomoRateLimitError once its retries are spent', async () => {
    const credentials = await credentialsFor();
    await admin(server.baseUrl, 'POST', '/faults', {
      method: 'GET',
      path: '/collection/v1_0/account/balance',
      fault: 'error',
      status: 429,
      times: 2,
    });
    const once = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: credentials,
      maxRetries: 0,
    });
    const patient = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: credentials,
    });

    await expect(once.collection.balance()).rejects.toBeInstanceOf(MomoRateLimitError);
    await expect(patient.collection.balance()).resolves.toMatchObject({ currency: 'EUR' });
    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([]);
  });

  it.each([
    ['answered 503 before handling it', { fault: 'error', status: 503 }],
    ['dropped the connection after handling it', { fault: 'drop-response' }],
  ])('retries a creation the server %s (a fault rule), and one transaction exists', async (_name, fault) => {
    await admin(server.baseUrl, 'POST', '/faults', {
      method: 'POST',
      path: '/collection/v1_0/requesttopay',
      times: 1,
      ...fault,
    });
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });

    const { referenceId } = await momo.collection.requestToPay(requestToPay('256772000019', '3'));

    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([]);
    expect(
      (await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 })).status,
    ).toBe('SUCCESSFUL');
    expect(await momo.collection.balance()).toEqual({ availableBalance: '1000003', currency: 'EUR' });
  });

  it('does not retry a refused request', async () => {
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    const refused = momo.collection.requestToPay(
      { ...requestToPay(), currency: 'UGX' },
      { referenceId: crypto.randomUUID() },
    );
    await expect(refused).rejects.toBeInstanceOf(MomoInvalidRequestError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'INVALID_CURRENCY' });
    expect(observed.calls.filter((call) => call.url.endsWith('/requesttopay'))).toHaveLength(1);
  });

  it.each([
    ['a creation', 'POST', '/collection/v1_0/requesttopay', 'INVALID_CURRENCY'],
    ['a token request', 'POST', '/collection/token/', 'login_failed'],
  ])('does not retry %s refused with a 500 that names a refusal', async (_name, method, path, code) => {
    await admin(server.baseUrl, 'POST', '/faults', {
      method,
      path,
      fault: 'error',
      status: 500,
      code,
      times: 3,
    });
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    try {
      await expect(momo.collection.requestToPay(requestToPay())).rejects.toMatchObject({
        status: 500,
        code,
      });
      expect(observed.calls.filter((call) => call.method === method && call.url.endsWith(path))).toHaveLength(
        1,
      );
    } finally {
      await admin(server.baseUrl, 'DELETE', '/faults');
    }
  });

  it('retries a 503 whatever code its body names, as a gateway that is away answers', async () => {
    await admin(server.baseUrl, 'POST', '/faults', {
      method: 'POST',
      path: '/collection/v1_0/requesttopay',
      fault: 'error',
      status: 503,
      code: 'BACKEND_MAINTENANCE',
      times: 1,
    });
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    try {
      await momo.collection.requestToPay(requestToPay());

      expect(
        observed.calls.filter((call) => call.method === 'POST' && call.url.endsWith('/requesttopay')),
      ).toHaveLength(2);
    } finally {
      await admin(server.baseUrl, 'DELETE', '/faults');
    }
  });

  it('throws typed errors carrying status, MoMo code and reference id', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const unknown = crypto.randomUUID();
    await expect(momo.collection.requestToPay.get(unknown)).rejects.toMatchObject({
      name: 'MomoNotFoundError',
      status: 404,
      code: 'RESOURCE_NOT_FOUND',
      referenceId: unknown,
    });
    await expect(momo.collection.requestToPay.get(unknown)).rejects.toBeInstanceOf(MomoNotFoundError);
    const wrongKey = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: { ...(await credentialsFor()), apiKey: 'f'.repeat(32) },
    });
    await expect(wrongKey.collection.balance()).rejects.toBeInstanceOf(MomoAuthenticationError);
  });

  it('explains a login_failed refusal by credentials that do not belong together', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      // Another partner's subscription key: OpenMoMo answers 401 login_failed (MTN, 500 login_failed).
      collection: { ...(await credentialsFor()), subscriptionKey: (await credentialsFor()).subscriptionKey },
    });

    await expect(momo.collection.balance()).rejects.toMatchObject({
      name: 'MomoAuthenticationError',
      status: 401,
      code: 'login_failed',
      message: expect.stringMatching(
        /API user, its API key and the subscription key .* do not belong together/,
      ),
    });
  });

  it("waits through a 404 just after the 202, as MTN's status reads may answer", async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const referenceId = crypto.randomUUID();
    await momo.collection.requestToPay(requestToPay('256772000022', '2'), { referenceId });
    await admin(server.baseUrl, 'POST', '/faults', {
      method: 'GET',
      path: `/collection/v1_0/requesttopay/${referenceId}`,
      fault: 'error',
      status: 404,
      code: 'RESOURCE_NOT_FOUND',
      times: 1,
    });

    await expect(
      momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 }),
    ).resolves.toMatchObject({ status: 'SUCCESSFUL' });
    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([]);
  });

  it('throws MomoNotFoundError once the wait is over when the resource never appears', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const unknown = crypto.randomUUID();
    const startedMs = Date.now();

    await expect(
      momo.collection.requestToPay.waitForFinalStatus(unknown, { timeoutMs: 300, intervalMs: 20 }),
    ).rejects.toBeInstanceOf(MomoNotFoundError);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(300);
  });

  it('stops waitForFinalStatus with ABORTED as soon as its signal aborts', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123453'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const startedMs = Date.now();

    await expect(
      momo.collection.requestToPay.waitForFinalStatus(referenceId, {
        timeoutMs: 60_000,
        intervalMs: 5000,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'MomoConnectionError', code: 'ABORTED', referenceId });
    expect(Date.now() - startedMs).toBeLessThan(2000);
  });

  it('gives up waiting with WAIT_TIMEOUT when a transaction stays PENDING', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123453'));
    await expect(
      momo.collection.requestToPay.waitForFinalStatus(referenceId, { timeoutMs: 200, intervalMs: 20 }),
    ).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
      referenceId,
    });
  });

  it('waits the whole timeout even when it is shorter than the interval between reads', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123453'));
    const startedMs = Date.now();

    await expect(
      momo.collection.requestToPay.waitForFinalStatus(referenceId, { timeoutMs: 300, intervalMs: 5000 }),
    ).rejects.toMatchObject({ code: 'WAIT_TIMEOUT' });
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(300);
  });

  it('reports a server that does not answer as a connection error, after its retries', async () => {
    const momo = new MomoClient({
      baseUrl: 'http://127.0.0.1:9',
      targetEnvironment: 'sandbox',
      collection: { subscriptionKey: newSubscriptionKey(), apiUserId: crypto.randomUUID(), apiKey: 'x' },
      maxRetries: 1,
    });
    await expect(momo.collection.balance()).rejects.toBeInstanceOf(MomoConnectionError);
  });

  it('pays out with disbursement transfer, deposit and refund, and remittance transfer and cash transfer', async () => {
    // A refund names a collection of its own partner: one partner's keys for every product, as the operator
    // API issues them (each sandbox sign-up is a partner of its own).
    const partner = await samePartnerClients(server.baseUrl, ['collection', 'disbursement', 'remittance']);
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: partner.collection.credentials,
      disbursement: partner.disbursement.credentials,
      remittance: partner.remittance.credentials,
    });
    const disbursementBefore = await momo.disbursement.balance();
    const payee = payer('256772000003');
    const body = { amount: '50', currency: 'EUR', externalId: 'x', payee, payerMessage: 'm', payeeNote: 'n' };
    for (const resource of [
      momo.disbursement.transfer,
      momo.disbursement.deposit,
      momo.disbursement.depositV2,
      momo.remittance.transfer,
    ]) {
      const { referenceId } = await resource(body);
      expect(await resource.waitForFinalStatus(referenceId, { intervalMs: 20 })).toMatchObject({
        status: 'SUCCESSFUL',
        payee,
      });
    }
    const cash = await momo.remittance.cashTransfer({
      ...body,
      orginatingCountry: 'SE',
      payerFirstName: 'Anna',
    });
    expect(
      await momo.remittance.cashTransfer.waitForFinalStatus(cash.referenceId, { intervalMs: 20 }),
    ).toMatchObject({
      status: 'SUCCESSFUL',
      orginatingCountry: 'SE',
      payerFirstName: 'Anna',
    });
    const collected = await momo.collection.requestToPay(requestToPay('256772000024', '30'));
    await momo.collection.requestToPay.waitForFinalStatus(collected.referenceId, { intervalMs: 20 });
    const refund = await momo.disbursement.refund({
      amount: '10',
      currency: 'EUR',
      externalId: 'refund-1',
      payerMessage: 'Refund of order 1',
      payeeNote: 'Order 1 returned',
      referenceIdToRefund: collected.referenceId,
    });
    expect(
      await momo.disbursement.refund.waitForFinalStatus(refund.referenceId, { intervalMs: 20 }),
    ).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '10',
      payee: payer('256772000024'),
    });
    // Three payouts of 50 and a refund of 10.
    expect(await momo.disbursement.balance()).toEqual({
      availableBalance: String(Number(disbursementBefore.availableBalance) - 160),
      currency: 'EUR',
    });
  });

  it('covers the rest of Collection: withdrawals, pre-approvals, invoices with cancel, payments, notifications', async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const wait = { intervalMs: 20 };
    const withdrawal = await momo.collection.requestToWithdrawV2(requestToPay());
    expect(
      (await momo.collection.requestToWithdraw.waitForFinalStatus(withdrawal.referenceId, wait)).status,
    ).toBe('SUCCESSFUL');
    const preapproval = await momo.collection.preapproval({
      payer: payer('256772000004'),
      payerCurrency: 'EUR',
      payerMessage: 'ok?',
      validityTime: 600,
    });
    expect(await momo.collection.preapproval.waitForFinalStatus(preapproval.referenceId, wait)).toMatchObject(
      {
        status: 'SUCCESSFUL',
        expirationDateTime: expect.any(String),
      },
    );
    const payment = await momo.collection.payment({
      money: { amount: '5', currency: 'EUR' },
      customerReference: '256772000004',
    });
    expect((await momo.collection.payment.waitForFinalStatus(payment.referenceId, wait)).status).toBe(
      'SUCCESSFUL',
    );
    const paid = await momo.collection.requestToPay(requestToPay());
    await momo.collection.requestToPay.waitForFinalStatus(paid.referenceId, wait);
    await expect(
      momo.collection.requestToPay.deliveryNotification(paid.referenceId, 'Your order ships today'),
    ).resolves.toBeUndefined();
    const invoiceBody = {
      amount: '20',
      currency: 'EUR',
      validityDuration: '3600',
      intendedPayer: payer('46733123453'),
      payee: payer('256772000005'),
      description: 'Invoice 7',
    };
    const invoice = await momo.collection.invoice(invoiceBody);
    await momo.collection.invoice.cancel(invoice.referenceId);
    expect((await momo.collection.invoice.get(invoice.referenceId)).status).toBe('CANCELLED');
  });

  it("lists a payer's approved pre-approvals and cancels one", async () => {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    const preapproval = await momo.collection.preapproval({
      payer: payer('256772000014'),
      payerCurrency: 'EUR',
      payerMessage: 'Monthly box',
      validityTime: 600,
    });
    await momo.collection.preapproval.waitForFinalStatus(preapproval.referenceId, { intervalMs: 20 });
    expect(await momo.collection.preapproval.listApproved('msisdn', '256772000014')).toEqual([
      expect.objectContaining({
        preApprovalId: preapproval.referenceId,
        fromFri: 'FRI:256772000014/MSISDN',
        fromCurrency: 'EUR',
        status: 'SUCCESSFUL',
        message: 'Monthly box',
      }),
    ]);
    await momo.collection.preapproval.cancel(preapproval.referenceId);
    expect(await momo.collection.preapproval.listApproved('msisdn', '256772000014')).toEqual([]);
    expect((await momo.collection.preapproval.get(preapproval.referenceId)).status).toBe('FAILED');
  });

  it('refuses a consent token that is not one at userinfo without dropping its own access token', async () => {
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    await momo.collection.balance();

    await expect(momo.collection.userInfo('not-a-consent-token')).rejects.toBeInstanceOf(
      MomoAuthenticationError,
    );
    expect(observed.calls.filter((call) => call.url.endsWith('/oauth2/v1_0/userinfo'))).toHaveLength(1);
    expect(observed.calls.filter((call) => call.url.endsWith('/collection/token/'))).toHaveLength(1);
  });

  it('runs the consent flow and checks account holders', async () => {
    const observed = observedFetch();
    const momo = await collectionClientWith(observed.fetch);
    const request = await momo.collection.bcAuthorize({ msisdn: '256772000006', scope: 'profile' });
    const consent = await momo.collection.consentToken({ authReqId: request.authReqId });
    // MTN's definition of oauth2/token/ requires X-Target-Environment (OpenMoMo does not check it).
    expect(observed.calls.find((call) => call.url.endsWith('/oauth2/token/'))?.headers).toMatchObject({
      'X-Target-Environment': 'sandbox',
    });
    expect((await momo.collection.userInfo(consent.access_token)).sub).toBe('256772000006');
    const refreshed = await momo.collection.consentToken({ refreshToken: consent.refresh_token });
    expect(refreshed.token_type).toBe('Bearer');
    expect(await momo.collection.isAccountHolderActive('msisdn', '256772000006')).toBe(true);
    expect(await momo.collection.isAccountHolderActive('msisdn', '46733123461')).toBe(false);
    expect((await momo.collection.basicUserInfo('256772000006')).status).toBe('ACTIVE');
  });

  /** A consent asked of an interactive holder, who answers it on their phone. */
  async function consentAskedInPerson(msisdn: string) {
    const momo = new MomoClient({
      baseUrl: server.baseUrl,
      targetEnvironment: 'sandbox',
      collection: await credentialsFor(),
    });
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, { approvalMode: 'INTERACTIVE' });
    const request = await momo.collection.bcAuthorize({ msisdn, scope: 'profile' });
    const answerOnPhone = async (answer: 'approve' | 'reject') => {
      const [prompt] = (await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${msisdn}/pending`))
        .body as { transactionId: string }[];
      expect(prompt).toBeDefined();
      const answered = await admin(
        server.baseUrl,
        'POST',
        `/transactions/${prompt?.transactionId}/${answer}`,
      );
      expect(answered.status).toBe(200);
    };
    return { momo, request, answerOnPhone };
  }

  it('waits for a consent the holder gives on their phone', async () => {
    const { momo, request, answerOnPhone } = await consentAskedInPerson('256772000016');

    await expect(momo.collection.consentToken({ authReqId: request.authReqId })).rejects.toMatchObject({
      code: 'authorization_pending',
    });
    const waiting = momo.collection.waitForConsentToken({ ...request, intervalSeconds: 0.02 });
    await answerOnPhone('approve');

    const consent = await waiting;
    expect((await momo.collection.userInfo(consent.access_token)).sub).toBe('256772000016');
  });

  it('waits the whole timeout for a consent even when it is shorter than the interval between asks', async () => {
    const { momo, request } = await consentAskedInPerson('256772000018');
    const startedMs = Date.now();

    await expect(
      momo.collection.waitForConsentToken({ ...request, intervalSeconds: 5 }, { timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'WAIT_TIMEOUT' });
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(300);
  });

  it('stops waitForConsentToken with ABORTED as soon as its signal aborts', async () => {
    const { momo, request } = await consentAskedInPerson('256772000023');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const startedMs = Date.now();

    await expect(
      momo.collection.waitForConsentToken({ ...request, intervalSeconds: 5 }, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'MomoConnectionError', code: 'ABORTED' });
    expect(Date.now() - startedMs).toBeLessThan(2000);
  });

  it('throws access_denied from waitForConsentToken when the holder refuses', async () => {
    const { momo, request, answerOnPhone } = await consentAskedInPerson('256772000017');

    const waiting = momo.collection.waitForConsentToken({ ...request, intervalSeconds: 0.02 });
    // Expected before the answer: the SDK may see the refusal while the answer's own call is still under way,
    // and a rejection nothing handles yet fails the run.
    const refused = expect(waiting).rejects.toMatchObject({ code: 'access_denied', status: 400 });
    await answerOnPhone('reject');

    await refused;
  });

  /** Waits up to 5 s for `items` to hold something. */
  async function untilSomething(items: readonly unknown[]) {
    for (let i = 0; items.length === 0 && i < 250; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('hands callbackHandler the URL the callback was sent to, where the partner put the X-Reference-Id', async () => {
    const deliveries: string[] = [];
    const receiver = await listening(
      callbackHandler((_callback, delivery) => void deliveries.push(delivery.url)),
    );
    try {
      const momo = await collectionClientWith(fetch);
      const referenceId = crypto.randomUUID();
      await momo.collection.requestToPay(requestToPay('46733123462'), {
        referenceId,
        callbackUrl: receiver.url(`/momo?ref=${referenceId}`),
      });
      await untilSomething(deliveries);
      expect(deliveries).toEqual([`/momo?ref=${referenceId}`]);
    } finally {
      receiver.close();
    }
  });

  it('answers 500 when the callbackHandler listener throws, so the platform sends the callback again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const receiver = await listening(
      callbackHandler(
        () => {
          calls += 1;
          if (calls === 1) {
            throw new Error('database down');
          }
        },
        { onError: (error) => void errors.push(error) },
      ),
    );
    try {
      const send = () =>
        fetch(receiver.url('/momo'), {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ status: 'SUCCESSFUL', amount: '5', currency: 'EUR' }),
        });

      expect((await send()).status).toBe(500);
      expect(errors).toEqual([new Error('database down')]);
      expect((await send()).status).toBe(200);
    } finally {
      receiver.close();
    }
  });

  it('receives callbacks with callbackHandler on a node:http server', async () => {
    const received: MomoCallback[] = [];
    const receiver = await listening(callbackHandler((callback) => void received.push(callback)));
    try {
      const momo = await collectionClientWith(fetch);
      const { referenceId } = await momo.collection.requestToPay(requestToPay('46733123462'), {
        callbackUrl: receiver.url('/momo'),
      });
      await momo.collection.requestToPay.waitForFinalStatus(referenceId, { intervalMs: 20 });
      await untilSomething(received);
      expect(received[0]).toMatchObject({
        status: 'FAILED',
        reason: { code: 'PAYER_LIMIT_REACHED' },
        amount: '100',
      });
    } finally {
      receiver.close();
    }
  });
});
