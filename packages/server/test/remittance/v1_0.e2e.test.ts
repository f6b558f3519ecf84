/** POST /remittance/v1_0/transfer and GET /remittance/v1_0/transfer/{referenceId} (seed 003), end to end. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger, postingsOf } from '../support/admin-client.js';
import {
  type CallbackReceiver,
  callbackAt,
  startCallbackReceiver,
  waitForCallback,
} from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  DUPLICATE_REFERENCE_ID,
  http,
  ProductClient,
  RESOURCE_NOT_FOUND,
  sleep,
  transferBody,
} from '../support/momo-client.js';
import { samePartnerClients, uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TRANSFER = '/v1_0/transfer';

/** Seed 003's TransferResult properties, in the order the schema lists them. */
const TRANSFER_RESULT_FIELDS = [
  'amount',
  'currency',
  'financialTransactionId',
  'externalId',
  'payee',
  'payerMessage',
  'payeeNote',
  'status',
];

const remittanceClient = (server: TestServer) => ProductClient.forProduct(server.baseUrl, 'remittance');

describe.each(ENGINES)('remittance transfer on %s', (engine) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: ProductClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    receiver = await startCallbackReceiver();
    client = await remittanceClient(server);
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  describe('when the payee receives', () => {
    it('accepts a transfer with 202 and an empty body', async () => {
      const created = await client.create(TRANSFER, transferBody());
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
    });

    it('reads PENDING or SUCCESSFUL with the request echoed right after the 202', async () => {
      const created = await client.create(TRANSFER, transferBody({ amount: '12.50' }));
      const status = await client.get(`${TRANSFER}/${created.referenceId}`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        ...transferBody({ amount: '12.5' }),
        status: expect.stringMatching(/^(PENDING|SUCCESSFUL)$/),
      });
    });

    it("ends SUCCESSFUL with exactly seed 003's TransferResult fields and no others", async () => {
      const created = await client.create(TRANSFER, transferBody());
      const final = await client.waitForFinal(TRANSFER, created.referenceId);
      expect(Object.keys(final).sort()).toEqual([...TRANSFER_RESULT_FIELDS].sort());
      expect(final).toEqual({
        ...transferBody(),
        financialTransactionId: expect.stringMatching(/^\d{9,}$/),
        status: 'SUCCESSFUL',
      });
    });

    it('answers the final status with HTTP 200 and a JSON content type', async () => {
      const created = await client.create(TRANSFER, transferBody());
      const response = await client.getFinal(TRANSFER, created.referenceId);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('leaves out externalId, payerMessage and payeeNote when the request had none', async () => {
      const created = await client.create(TRANSFER, {
        amount: '5',
        currency: 'EUR',
        payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
      });
      expect(created.status).toBe(202);
      const final = await client.waitForFinal(TRANSFER, created.referenceId);
      expect(final).toEqual({
        amount: '5',
        currency: 'EUR',
        financialTransactionId: expect.stringMatching(/^\d{9,}$/),
        payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
        status: 'SUCCESSFUL',
      });
    });

    it('gives each successful transfer its own financialTransactionId', async () => {
      const first = await client.create(TRANSFER, transferBody());
      const second = await client.create(TRANSFER, transferBody());
      const a = await client.waitForFinal(TRANSFER, first.referenceId);
      const b = await client.waitForFinal(TRANSFER, second.referenceId);
      expect(a.financialTransactionId).not.toBe(b.financialTransactionId);
    });

    it("moves the amount from the partner's remittance account to the payee's wallet", async () => {
      const partner = await remittanceClient(server);
      const before = await partner.balance();
      const created = await partner.create(
        TRANSFER,
        transferBody({ amount: '250.75', payee: { partyIdType: 'MSISDN', partyId: uniqueMsisdn() } }),
      );
      expect(await partner.waitForFinal(TRANSFER, created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
      const after = await partner.balance();
      expect(Number(before.availableBalance) - Number(after.availableBalance)).toBeCloseTo(250.75, 2);
      expect(await postingsOf(server.baseUrl, partner, created.referenceId)).toEqual([
        expect.objectContaining({ amountMinor: '25075' }),
      ]);
    });

    it('keeps the ledger balanced after successful and failed transfers', async () => {
      const partner = await remittanceClient(server);
      const paid = await partner.create(TRANSFER, transferBody({ amount: '10.01' }));
      const refused = await partner.create(TRANSFER, transferBody({ amount: '1000001' }));
      await partner.waitForFinal(TRANSFER, paid.referenceId);
      await partner.waitForFinal(TRANSFER, refused.referenceId);
      const audit = await auditLedger(server.baseUrl);
      expect(audit.balanced).toBe(true);
      expect(Object.values(audit.entrySumsByCurrency).every((sum) => sum === '0')).toBe(true);
    });
  });

  describe("the partner's remittance account", () => {
    it('opens with 1000000 EUR in the sandbox', async () => {
      const partner = await remittanceClient(server);
      expect(await partner.balance()).toEqual({ availableBalance: '1000000', currency: 'EUR' });
    });

    it('fails a transfer of more than the account holds with NOT_ENOUGH_FUNDS, as a 200 status', async () => {
      const partner = await remittanceClient(server);
      const created = await partner.create(TRANSFER, transferBody({ amount: '1000001' }));
      expect(created.status).toBe(202);
      const response = await partner.getFinal(TRANSFER, created.referenceId);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...transferBody({ amount: '1000001' }),
        status: 'FAILED',
        reason: { code: 'NOT_ENOUGH_FUNDS', message: 'The payer does not have enough funds.' },
      });
    });

    it('moves no money when a transfer fails with NOT_ENOUGH_FUNDS', async () => {
      const partner = await remittanceClient(server);
      const before = await partner.balance();
      const created = await partner.create(TRANSFER, transferBody({ amount: '1000001' }));
      await partner.waitForFinal(TRANSFER, created.referenceId);
      expect(await partner.balance()).toEqual(before);
    });

    it('pays out exactly the whole balance and is left with 0', async () => {
      const partner = await remittanceClient(server);
      const created = await partner.create(TRANSFER, transferBody({ amount: '1000000' }));
      expect(await partner.waitForFinal(TRANSFER, created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
      expect(await partner.balance()).toEqual({ availableBalance: '0', currency: 'EUR' });
    });

    it("is the partner's own: another partner's transfer leaves it untouched", async () => {
      const partner = await remittanceClient(server);
      const created = await partner.create(TRANSFER, transferBody({ amount: '100' }));
      await partner.waitForFinal(TRANSFER, created.referenceId);
      const bystander = await remittanceClient(server);
      expect(await bystander.balance()).toEqual({ availableBalance: '1000000', currency: 'EUR' });
    });
  });

  describe('sandbox test numbers', () => {
    it.each([
      ['46733123450', 'INTERNAL_PROCESSING_ERROR', 'An internal error occurred while processing.'],
      ['46733123462', 'PAYER_LIMIT_REACHED', "The payer's limit has been breached."],
      ['46733123461', 'PAYEE_NOT_FOUND', expect.any(String)],
    ])(
      '%s ends FAILED with %s, answered 200 with a reason {code, message}',
      async (msisdn, code, message) => {
        const created = await client.create(
          TRANSFER,
          transferBody({ payee: { partyIdType: 'MSISDN', partyId: msisdn } }),
        );
        expect(created.status).toBe(202);
        const response = await client.getFinal(TRANSFER, created.referenceId);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ...transferBody({ payee: { partyIdType: 'MSISDN', partyId: msisdn } }),
          status: 'FAILED',
          reason: { code, message },
        });
      },
    );

    it.each(['46733123450', '46733123462', '46733123461'])(
      '%s moves no money out of the partner account',
      async (msisdn) => {
        // A partner of its own: no other test's transfer can settle into this balance meanwhile.
        const partner = await remittanceClient(server);
        const before = await partner.balance();
        const created = await partner.create(
          TRANSFER,
          transferBody({ payee: { partyIdType: 'MSISDN', partyId: msisdn } }),
        );
        expect(await partner.waitForFinal(TRANSFER, created.referenceId)).toMatchObject({ status: 'FAILED' });
        expect(await partner.balance()).toEqual(before);
      },
    );

    it('keeps 46733123453 PENDING (MTN "ongoing")', async () => {
      const created = await client.create(
        TRANSFER,
        transferBody({ payee: { partyIdType: 'MSISDN', partyId: '46733123453' } }),
      );
      await sleep(200);
      const response = await client.get(`${TRANSFER}/${created.referenceId}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'PENDING' });
      expect(response.body).not.toHaveProperty('financialTransactionId');
      expect(response.body).not.toHaveProperty('reason');
    });
  });

  describe('validation', () => {
    it.each([
      ["seed 003's own UGX, which the sandbox does not allow", 'INVALID_CURRENCY', { currency: 'UGX' }],
      ['an unknown currency', 'INVALID_CURRENCY', { currency: 'XYZ' }],
      ['a zero amount', 'BAD_REQUEST', { amount: '0' }],
      ['a negative amount', 'BAD_REQUEST', { amount: '-5' }],
      ['more decimals than the currency has', 'BAD_REQUEST', { amount: '1.005' }],
      ['no amount', 'BAD_REQUEST', { amount: undefined }],
      ['no payee', 'BAD_REQUEST', { payee: undefined }],
      [
        'a payee MSISDN with a plus sign',
        'BAD_REQUEST',
        { payee: { partyIdType: 'MSISDN', partyId: '+46733123499' } },
      ],
      [
        'a payee e-mail that is not one',
        'BAD_REQUEST',
        { payee: { partyIdType: 'EMAIL', partyId: 'nobody' } },
      ],
      ['a payer message over 160 characters', 'BAD_REQUEST', { payerMessage: 'x'.repeat(161) }],
      ['an ampersand in the payee note', 'BAD_REQUEST', { payeeNote: 'fish & chips' }],
    ])('refuses %s with 400 %s and creates nothing', async (_name, code, overrides) => {
      const created = await client.create(TRANSFER, { ...transferBody(), ...overrides });
      expect(created.status).toBe(400);
      expect(created.body).toEqual({ code, message: expect.any(String) });
      expect((await client.get(`${TRANSFER}/${created.referenceId}`)).status).toBe(404);
    });

    it('refuses a callback URL on another host than providerCallbackHost with INVALID_CALLBACK_URL_HOST', async () => {
      const created = await client.create(TRANSFER, transferBody(), {
        callbackUrl: 'http://evil.example/steal',
      });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'INVALID_CALLBACK_URL_HOST' });
      expect((await client.get(`${TRANSFER}/${created.referenceId}`)).status).toBe(404);
    });

    it('refuses an X-Reference-Id that is not a UUID with 400', async () => {
      const created = await client.create(TRANSFER, transferBody(), { referenceId: 'incorrect_referenceId' });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'BAD_REQUEST' });
    });
  });

  describe('idempotency', () => {
    it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST and keeps the first transfer', async () => {
      const first = await client.create(TRANSFER, transferBody({ amount: '10' }));
      const second = await client.create(TRANSFER, transferBody({ amount: '99' }), {
        referenceId: first.referenceId,
      });
      expect(second.status).toBe(409);
      expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
      expect((await client.get(`${TRANSFER}/${first.referenceId}`)).body).toMatchObject({ amount: '10' });
    });

    it('pays a transfer once when its X-Reference-Id is repeated', async () => {
      const partner = await remittanceClient(server);
      const first = await partner.create(TRANSFER, transferBody({ amount: '10' }));
      await partner.create(TRANSFER, transferBody({ amount: '10' }), { referenceId: first.referenceId });
      await partner.waitForFinal(TRANSFER, first.referenceId);
      expect(await partner.balance()).toEqual({ availableBalance: '999990', currency: 'EUR' });
    });

    it('lets another API user use the same X-Reference-Id for its own transfer', async () => {
      const other = await remittanceClient(server);
      const first = await client.create(TRANSFER, transferBody());
      const second = await other.create(TRANSFER, transferBody(), { referenceId: first.referenceId });
      expect(second.status).toBe(202);
    });
  });

  describe('reading status', () => {
    it('answers 400 for a reference id that is not a UUID', async () => {
      const response = await client.get(`${TRANSFER}/incorrect_referenceId`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('answers 404 RESOURCE_NOT_FOUND for an id nobody used', async () => {
      const response = await client.get(`${TRANSFER}/${randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(RESOURCE_NOT_FOUND);
    });

    it("answers 404 RESOURCE_NOT_FOUND for another API user's transfer, as if it did not exist", async () => {
      const other = await remittanceClient(server);
      const created = await client.create(TRANSFER, transferBody());
      const response = await other.get(`${TRANSFER}/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(RESOURCE_NOT_FOUND);
    });

    it('finds a transfer by its reference id in upper case', async () => {
      const created = await client.create(TRANSFER, transferBody());
      const response = await client.get(`${TRANSFER}/${created.referenceId.toUpperCase()}`);
      expect(response.status).toBe(200);
    });
  });

  describe('callbacks', () => {
    it('delivers the final status to X-Callback-Url with PUT and the body GET answers', async () => {
      const path = `/remittance/${randomUUID()}`;
      const created = await client.create(TRANSFER, transferBody(), { callbackUrl: receiver.url(path) });
      const final = await client.waitForFinal(TRANSFER, created.referenceId);
      const callback = await waitForCallback(
        receiver,
        (c) =>
          (c.body as { financialTransactionId?: unknown }).financialTransactionId ===
          final.financialTransactionId,
      );
      expect(callback.method).toBe('PUT');
      expect(callback.path).toBe(path);
      expect(callback.headers['content-type']).toMatch(/^application\/json/);
      expect(callback.body).toEqual(final);
    });

    it('delivers a failed transfer with its reason, the body GET answers', async () => {
      const path = `/remittance/${randomUUID()}`;
      const created = await client.create(
        TRANSFER,
        transferBody({ payee: { partyIdType: 'MSISDN', partyId: '46733123462' } }),
        { callbackUrl: receiver.url(path) },
      );
      const final = await client.waitForFinal(TRANSFER, created.referenceId);
      const callback = await callbackAt(receiver, path);
      expect(callback.method).toBe('PUT');
      expect(callback.body).toEqual(final);
      expect(callback.body).toMatchObject({ status: 'FAILED', reason: { code: 'PAYER_LIMIT_REACHED' } });
    });
  });

  describe('access', () => {
    it('refuses a disbursement access token on remittance with 401 and creates nothing', async () => {
      // One partner, one API user, a key for each product: only the token's product differs.
      const partner = await samePartnerClients(server.baseUrl, ['remittance', 'disbursement'], {
        name: 'Two products',
      });
      expect(partner.disbursement.accessToken).toEqual(expect.any(String));
      const refused = await partner.remittance.create(TRANSFER, transferBody(), {
        headers: { Authorization: `Bearer ${partner.disbursement.accessToken}` },
      });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
      expect((await partner.remittance.get(`${TRANSFER}/${refused.referenceId}`)).status).toBe(404);
    });

    it('refuses a transfer without an access token with 401', async () => {
      const response = await http(server.baseUrl, 'POST', `/remittance${TRANSFER}`, {
        headers: {
          'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
          'X-Target-Environment': 'sandbox',
          'X-Reference-Id': randomUUID(),
          'Content-Type': 'application/json',
        },
        body: transferBody(),
      });
      expect(response.status).toBe(401);
    });
  });
});

describe.each(ENGINES)('remittance transfer with the bare-string reason MTN sends live, on %s', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(engine, { config: { reasonFormat: 'string' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends reason as the code string when REASON_FORMAT=string', async () => {
    const client = await remittanceClient(server);
    const created = await client.create(
      TRANSFER,
      transferBody({ payee: { partyIdType: 'MSISDN', partyId: '46733123462' } }),
    );
    const response = await client.getFinal(TRANSFER, created.referenceId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'FAILED', reason: 'PAYER_LIMIT_REACHED' });
  });

  it('sends NOT_ENOUGH_FUNDS as the code string when REASON_FORMAT=string', async () => {
    const client = await remittanceClient(server);
    const created = await client.create(TRANSFER, transferBody({ amount: '1000001' }));
    expect(await client.waitForFinal(TRANSFER, created.referenceId)).toMatchObject({
      status: 'FAILED',
      reason: 'NOT_ENOUGH_FUNDS',
    });
  });
});
