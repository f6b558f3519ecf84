/**
 * Disbursement v2_0 end to end over a real port: POST /disbursement/v2_0/deposit and /disbursement/v2_0/refund
 * create resources read with the v1_0 GET; v2_0 has no GET of its own.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import {
  type CallbackReceiver,
  type ReceivedCallback,
  startCallbackReceiver,
} from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  basicAuth,
  http,
  ProductClient,
  type ProductName,
  requestToPayBody,
  type SandboxCredentials,
  transferBody,
} from '../support/momo-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const uniqueMsisdn = () =>
  `2567${Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, '0')}`;

const msisdn = (partyId: string) => ({ partyIdType: 'MSISDN', partyId });

/** An EUR amount as minor units (cents), so balances compare without floating point. */
const cents = (amount: string): bigint => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
};

const GATEWAY_NOT_FOUND = { statusCode: 404, message: 'Resource not found' };

/** The callback that arrived at `path` of the receiver, waiting up to `timeoutMs` for it. */
async function callbackAt(
  receiver: CallbackReceiver,
  path: string,
  timeoutMs = 5000,
): Promise<ReceivedCallback> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const callback = receiver.received.find((received) => received.path === path);
    if (callback !== undefined) {
      return callback;
    }
    if (Date.now() > deadline) {
      throw new Error(`no callback at ${path} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A product client for credentials the operator issued (the sandbox sign-up makes a new partner per key). */
class PartnerClient extends ProductClient {
  static async of(
    baseUrl: string,
    product: ProductName,
    credentials: SandboxCredentials,
  ): Promise<PartnerClient> {
    const token = await http(baseUrl, 'POST', `/${product}/token/`, {
      headers: {
        Authorization: basicAuth(credentials.apiUserId, credentials.apiKey),
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    if (token.status !== 200) {
      throw new Error(`${product} token answered ${token.status}: ${token.text}`);
    }
    return new PartnerClient(
      baseUrl,
      product,
      credentials,
      (token.body as { access_token: string }).access_token,
    );
  }
}

interface Partner {
  readonly collection: PartnerClient;
  readonly disbursement: PartnerClient;
}

/** One partner with a Collection and a Disbursement subscription and one sandbox API user using both. */
async function partnerWithBothProducts(baseUrl: string): Promise<Partner> {
  const partner = await admin(baseUrl, 'POST', '/partners', { name: 'Refunding shop' });
  const partnerId = (partner.body as { id: string }).id;
  const keyFor = async (product: ProductName) =>
    (
      (await admin(baseUrl, 'POST', `/partners/${partnerId}/subscription-keys`, { product })).body as {
        subscriptionKey: string;
      }
    ).subscriptionKey;
  const user = (
    await admin(baseUrl, 'POST', `/partners/${partnerId}/api-users`, {
      providerCallbackHost: '127.0.0.1',
      targetEnvironment: 'sandbox',
    })
  ).body as { apiUserId: string; apiKey: string };
  const credentials = (subscriptionKey: string): SandboxCredentials => ({
    subscriptionKey,
    apiUserId: user.apiUserId,
    apiKey: user.apiKey,
  });
  return {
    collection: await PartnerClient.of(baseUrl, 'collection', credentials(await keyFor('collection'))),
    disbursement: await PartnerClient.of(baseUrl, 'disbursement', credentials(await keyFor('disbursement'))),
  };
}

/** A SUCCESSFUL collection of `amount` from a payer whose wallet held exactly that much. */
async function successfulCollection(partner: Partner, baseUrl: string, amount: string) {
  const payer = uniqueMsisdn();
  await admin(baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, {
    givenName: 'Refund',
    familyName: 'Payer',
  });
  await admin(baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, { amount, currency: 'EUR' });
  const created = await partner.collection.create(
    '/v1_0/requesttopay',
    requestToPayBody({ amount, payer: msisdn(payer) }),
  );
  const final = await partner.collection.waitForFinal('/v1_0/requesttopay', created.referenceId);
  if (final.status !== 'SUCCESSFUL') {
    throw new Error(`the collection to refund ended ${JSON.stringify(final)}`);
  }
  return { payer, referenceId: created.referenceId };
}

function refundBody(referenceIdToRefund: string, overrides: Record<string, unknown> = {}) {
  return {
    amount: '40',
    currency: 'EUR',
    externalId: 'R-17',
    payerMessage: 'Refund of order 17',
    payeeNote: 'Order 17 returned',
    referenceIdToRefund,
    ...overrides,
  };
}

describe.each(ENGINES)('disbursement deposit v2_0 on %s', (engine) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: ProductClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    receiver = await startCallbackReceiver();
    client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const deposit = (body: unknown, options: { referenceId?: string; callbackUrl?: string } = {}) =>
    client.create('/v2_0/deposit', body, options);

  it('accepts a v2_0 deposit with 202 and an empty body', async () => {
    const created = await deposit(transferBody());
    expect(created.status).toBe(202);
    expect(created.text).toBe('');
  });

  it('reads a v2_0 deposit with the v1_0 GET, ending SUCCESSFUL with every TransferResult field', async () => {
    const created = await deposit(transferBody({ amount: '12.50' }));
    expect(await client.waitForFinal('/v1_0/deposit', created.referenceId)).toEqual({
      amount: '12.5',
      currency: 'EUR',
      financialTransactionId: expect.stringMatching(/^\d{9,}$/),
      externalId: '947354',
      payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
      payerMessage: 'Salary',
      payeeNote: 'November',
      status: 'SUCCESSFUL',
    });
  });

  it("debits the partner's disbursement balance by the amount and keeps the ledger balanced", async () => {
    const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
    const before = await partner.balance();
    const created = await partner.create('/v2_0/deposit', transferBody({ amount: '99.99' }));
    await partner.waitForFinal('/v1_0/deposit', created.referenceId);
    expect(cents(before.availableBalance) - cents((await partner.balance()).availableBalance)).toBe(9999n);
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('ends a v2_0 deposit to 46733123450 FAILED with INTERNAL_PROCESSING_ERROR as a 200 status', async () => {
    const created = await deposit(transferBody({ payee: msisdn('46733123450') }));
    await client.waitForFinal('/v1_0/deposit', created.referenceId);
    const status = await client.get(`/v1_0/deposit/${created.referenceId}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'FAILED', reason: { code: 'INTERNAL_PROCESSING_ERROR' } });
  });

  it.each([
    ['a currency the sandbox does not allow', { currency: 'UGX' }, 'INVALID_CURRENCY'],
    ['a zero amount', { amount: '0' }, 'BAD_REQUEST'],
    ['a payee MSISDN with a plus sign', { payee: msisdn('+46733123499') }, 'BAD_REQUEST'],
    ['no payee', { payee: undefined }, 'BAD_REQUEST'],
  ])('refuses a v2_0 deposit with %s with 400 %s and writes nothing', async (_name, overrides, code) => {
    const created = await deposit({ ...transferBody(), ...overrides });
    expect(created.status).toBe(400);
    expect(created.body).toEqual({ code, message: expect.any(String) });
    expect((await client.get(`/v1_0/deposit/${created.referenceId}`)).status).toBe(404);
  });

  it('answers a v1_0 deposit X-Reference-Id reused for a v2_0 deposit with 409 RESOURCE_ALREADY_EXIST', async () => {
    const first = await client.create('/v1_0/deposit', transferBody({ amount: '10' }));
    const second = await deposit(transferBody({ amount: '99' }), { referenceId: first.referenceId });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      code: 'RESOURCE_ALREADY_EXIST',
      message: 'Duplicated reference id. Creation of resource failed.',
    });
    expect((await client.get(`/v1_0/deposit/${first.referenceId}`)).body).toMatchObject({ amount: '10' });
  });

  it('delivers the final status of a v2_0 deposit to X-Callback-Url with PUT and the body GET answers', async () => {
    const path = `/deposit/${randomUUID()}`;
    const created = await deposit(transferBody(), { callbackUrl: receiver.url(path) });
    const final = await client.waitForFinal('/v1_0/deposit', created.referenceId);
    const callback = await callbackAt(receiver, path);
    expect(callback.method).toBe('PUT');
    expect(callback.body).toEqual(final);
  });

  it('has no GET under v2_0 for a deposit: 404 in the gateway shape', async () => {
    const created = await deposit(transferBody());
    const response = await client.get(`/v2_0/deposit/${created.referenceId}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(GATEWAY_NOT_FOUND);
  });

  it('has no transfer under v2_0: 404 in the gateway shape', async () => {
    const created = await client.create('/v2_0/transfer', transferBody());
    expect(created.status).toBe(404);
    expect(created.body).toEqual(GATEWAY_NOT_FOUND);
    expect((await client.get(`/v1_0/transfer/${created.referenceId}`)).status).toBe(404);
  });
});

describe.each(ENGINES)('disbursement refund v2_0 on %s', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('accepts a v2_0 refund of part of a successful collection with 202 and an empty body', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const created = await partner.disbursement.create('/v2_0/refund', refundBody(referenceId));
    expect(created.status).toBe(202);
    expect(created.text).toBe('');
  });

  it('reads a v2_0 refund with the v1_0 GET, ending SUCCESSFUL with the original payer as payee', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { payer, referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const created = await partner.disbursement.create(
      '/v2_0/refund',
      refundBody(referenceId, { amount: '25.10' }),
    );
    expect(await partner.disbursement.waitForFinal('/v1_0/refund', created.referenceId)).toEqual({
      amount: '25.1',
      currency: 'EUR',
      financialTransactionId: expect.stringMatching(/^\d{9,}$/),
      externalId: 'R-17',
      payee: { partyIdType: 'MSISDN', partyId: payer },
      payerMessage: 'Refund of order 17',
      payeeNote: 'Order 17 returned',
      status: 'SUCCESSFUL',
    });
  });

  it("debits the partner's disbursement balance by a v2_0 refund and keeps the ledger balanced", async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const before = await partner.disbursement.balance();
    const created = await partner.disbursement.create(
      '/v2_0/refund',
      refundBody(referenceId, { amount: '40' }),
    );
    await partner.disbursement.waitForFinal('/v1_0/refund', created.referenceId);
    expect(
      cents(before.availableBalance) - cents((await partner.disbursement.balance()).availableBalance),
    ).toBe(4000n);
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('counts v1_0 and v2_0 refunds together against what is left of the payment', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const first = await partner.disbursement.create(
      '/v1_0/refund',
      refundBody(referenceId, { amount: '40' }),
    );
    await partner.disbursement.waitForFinal('/v1_0/refund', first.referenceId);
    const second = await partner.disbursement.create(
      '/v2_0/refund',
      refundBody(referenceId, { amount: '60.01' }),
    );
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/\b60 EUR\b/) });
  });

  it('refuses a v2_0 refund of an unknown referenceIdToRefund with 404 RESOURCE_NOT_FOUND', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const created = await partner.disbursement.create('/v2_0/refund', refundBody(randomUUID()));
    expect(created.status).toBe(404);
    expect(created.body).toEqual({ code: 'RESOURCE_NOT_FOUND', message: expect.any(String) });
    expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
  });

  it('refuses a v2_0 refund of a FAILED collection with 400 TRANSACTION_NOT_COMPLETED', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const failed = await partner.collection.create(
      '/v1_0/requesttopay',
      requestToPayBody({ payer: msisdn('46733123450') }),
    );
    expect(await partner.collection.waitForFinal('/v1_0/requesttopay', failed.referenceId)).toMatchObject({
      status: 'FAILED',
    });
    const created = await partner.disbursement.create('/v2_0/refund', refundBody(failed.referenceId));
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'TRANSACTION_NOT_COMPLETED' });
  });

  it('refuses a v2_0 refund in another currency with 400 INVALID_CURRENCY', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const created = await partner.disbursement.create(
      '/v2_0/refund',
      refundBody(referenceId, { currency: 'UGX' }),
    );
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'INVALID_CURRENCY' });
  });

  it('has no GET under v2_0 for a refund: 404 in the gateway shape', async () => {
    const partner = await partnerWithBothProducts(server.baseUrl);
    const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
    const created = await partner.disbursement.create('/v2_0/refund', refundBody(referenceId));
    const response = await partner.disbursement.get(`/v2_0/refund/${created.referenceId}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(GATEWAY_NOT_FOUND);
  });
});
