/** POST /remittance/v2_0/cashtransfer and GET /remittance/v2_0/cashtransfer/{referenceId}, end to end. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLedger, postingsOf } from '../support/admin-client.js';
import { type CallbackReceiver, callbackAt, startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  DUPLICATE_REFERENCE_ID,
  ProductClient,
  RESOURCE_NOT_FOUND,
  transferBody,
} from '../support/momo-client.js';
import { uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CASH_TRANSFER = '/v2_0/cashtransfer';

/** A cash transfer with every field MTN documents, `orginatingCountry` in MTN's own spelling. */
function cashTransferBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: '500',
    currency: 'EUR',
    payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
    externalId: '947354',
    orginatingCountry: 'SE',
    originalAmount: '5500',
    originalCurrency: 'SEK',
    payerMessage: 'Family support',
    payeeNote: 'March',
    payerIdentificationType: 'PASS',
    payerIdentificationNumber: 'P1234567',
    payerIdentity: '19800101-1234',
    payerFirstName: 'Anna',
    payerSurName: 'Svensson',
    payerLanguageCode: 'sv',
    payerEmail: 'anna.svensson@example.com',
    payerMsisdn: '46701234567',
    payerGender: 'F',
    ...overrides,
  };
}

const remittanceClient = (server: TestServer) => ProductClient.forProduct(server.baseUrl, 'remittance');

describe.each(ENGINES)('remittance cash transfer on %s', (engine) => {
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
    it('accepts a cash transfer with every documented field with 202 and an empty body', async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody());
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
    });

    it('reads back every request field plus status and financialTransactionId, and nothing else', async () => {
      const body = cashTransferBody();
      const created = await client.create(CASH_TRANSFER, body);
      const response = await client.getFinal(CASH_TRANSFER, created.referenceId);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...body,
        financialTransactionId: expect.stringMatching(/^\d{9,}$/),
        status: 'SUCCESSFUL',
      });
    });

    it("keeps MTN's spelling orginatingCountry in the status body", async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody({ orginatingCountry: 'Sweden' }));
      const final = await client.waitForFinal(CASH_TRANSFER, created.referenceId);
      expect(final.orginatingCountry).toBe('Sweden');
      expect(final).not.toHaveProperty('originatingCountry');
    });

    it('reads PENDING or SUCCESSFUL right after the 202', async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody());
      const response = await client.get(`${CASH_TRANSFER}/${created.referenceId}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: expect.stringMatching(/^(PENDING|SUCCESSFUL)$/) });
    });

    it('accepts a cash transfer with only amount, currency and payee, and echoes only those', async () => {
      const created = await client.create(CASH_TRANSFER, {
        amount: '20',
        currency: 'EUR',
        payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
      });
      expect(created.status).toBe(202);
      expect(await client.waitForFinal(CASH_TRANSFER, created.referenceId)).toEqual({
        amount: '20',
        currency: 'EUR',
        payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
        financialTransactionId: expect.stringMatching(/^\d{9,}$/),
        status: 'SUCCESSFUL',
      });
    });

    it('accepts numbers where the schema says string and reads them back as strings', async () => {
      const created = await client.create(
        CASH_TRANSFER,
        cashTransferBody({
          amount: 100,
          externalId: 83453,
          originalAmount: 1100,
          payerMsisdn: 46701234567,
          payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
        }),
      );
      expect(created.status).toBe(202);
      expect(await client.waitForFinal(CASH_TRANSFER, created.referenceId)).toMatchObject({
        amount: '100',
        externalId: '83453',
        originalAmount: '1100',
        payerMsisdn: '46701234567',
        payee: { partyIdType: 'MSISDN', partyId: '4609274685' },
      });
    });

    it('writes the amount as MoMo does, without trailing zeros', async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody({ amount: '12.50' }));
      expect(await client.waitForFinal(CASH_TRANSFER, created.referenceId)).toMatchObject({ amount: '12.5' });
    });

    it("moves the amount from the partner's remittance account", async () => {
      const partner = await remittanceClient(server);
      const before = await partner.balance();
      const created = await partner.create(
        CASH_TRANSFER,
        cashTransferBody({ amount: '99.99', payee: { partyIdType: 'MSISDN', partyId: uniqueMsisdn() } }),
      );
      expect(await partner.waitForFinal(CASH_TRANSFER, created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
      const after = await partner.balance();
      expect(Number(before.availableBalance) - Number(after.availableBalance)).toBeCloseTo(99.99, 2);
      expect(await postingsOf(server.baseUrl, partner, created.referenceId)).toEqual([
        expect.objectContaining({ amountMinor: '9999' }),
      ]);
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it('fails a cash transfer larger than the partner account with NOT_ENOUGH_FUNDS, moving no money', async () => {
      const partner = await remittanceClient(server);
      const before = await partner.balance();
      const created = await partner.create(CASH_TRANSFER, cashTransferBody({ amount: '1000001' }));
      expect(await partner.waitForFinal(CASH_TRANSFER, created.referenceId)).toMatchObject({
        status: 'FAILED',
        reason: { code: 'NOT_ENOUGH_FUNDS', message: expect.any(String) },
      });
      expect(await partner.balance()).toEqual(before);
    });

    it('answers a FAILED test number with 200, the request echoed and a reason, without financialTransactionId', async () => {
      const body = cashTransferBody({ payee: { partyIdType: 'MSISDN', partyId: '46733123462' } });
      const created = await client.create(CASH_TRANSFER, body);
      const response = await client.getFinal(CASH_TRANSFER, created.referenceId);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...body,
        status: 'FAILED',
        reason: { code: 'PAYER_LIMIT_REACHED', message: "The payer's limit has been breached." },
      });
    });
  });

  describe('validation', () => {
    it.each([
      ['a currency the sandbox does not allow', 'INVALID_CURRENCY', { currency: 'UGX' }],
      ['an unknown currency', 'INVALID_CURRENCY', { currency: 'XYZ' }],
      ['no amount', 'BAD_REQUEST', { amount: undefined }],
      ['no currency', 'BAD_REQUEST', { currency: undefined }],
      ['no payee', 'BAD_REQUEST', { payee: undefined }],
      ['a zero amount', 'BAD_REQUEST', { amount: '0' }],
      ['an amount that is not a number', 'BAD_REQUEST', { amount: 'ten' }],
      [
        'a payee MSISDN with a plus sign',
        'BAD_REQUEST',
        { payee: { partyIdType: 'MSISDN', partyId: '+46733123499' } },
      ],
      [
        'a party code that is not a UUID',
        'BAD_REQUEST',
        { payee: { partyIdType: 'PARTY_CODE', partyId: '1234' } },
      ],
      ['an originalCurrency longer than a currency code', 'BAD_REQUEST', { originalCurrency: 'EURO' }],
      ['a payer message over 160 characters', 'BAD_REQUEST', { payerMessage: 'x'.repeat(161) }],
      ['an apostrophe in the payee note', 'BAD_REQUEST', { payeeNote: "o'clock" }],
      ['an ampersand in the payer first name', 'BAD_REQUEST', { payerFirstName: 'Anna & Erik' }],
      ['an angle bracket in the payer surname', 'BAD_REQUEST', { payerSurName: '<b>Svensson</b>' }],
    ])('refuses %s with 400 %s and creates nothing', async (_name, code, overrides) => {
      const created = await client.create(CASH_TRANSFER, { ...cashTransferBody(), ...overrides });
      expect(created.status).toBe(400);
      expect(created.body).toEqual({ code, message: expect.any(String) });
      expect((await client.get(`${CASH_TRANSFER}/${created.referenceId}`)).status).toBe(404);
    });

    it('refuses a callback URL on another host than providerCallbackHost with INVALID_CALLBACK_URL_HOST', async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody(), {
        callbackUrl: 'http://evil.example/steal',
      });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'INVALID_CALLBACK_URL_HOST' });
      expect((await client.get(`${CASH_TRANSFER}/${created.referenceId}`)).status).toBe(404);
    });
  });

  describe('idempotency', () => {
    it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST and keeps the first cash transfer', async () => {
      const first = await client.create(CASH_TRANSFER, cashTransferBody({ amount: '10' }));
      const second = await client.create(CASH_TRANSFER, cashTransferBody({ amount: '99' }), {
        referenceId: first.referenceId,
      });
      expect(second.status).toBe(409);
      expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
      expect((await client.get(`${CASH_TRANSFER}/${first.referenceId}`)).body).toMatchObject({
        amount: '10',
      });
    });

    it('answers 409 for a cash transfer that reuses the X-Reference-Id of a v1_0 transfer', async () => {
      const transfer = await client.create('/v1_0/transfer', transferBody());
      const cash = await client.create(CASH_TRANSFER, cashTransferBody(), {
        referenceId: transfer.referenceId,
      });
      expect(cash.status).toBe(409);
      expect(cash.body).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST' });
    });
  });

  describe('reading status', () => {
    it('answers 400 for a reference id that is not a UUID', async () => {
      const response = await client.get(`${CASH_TRANSFER}/incorrect_referenceId`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('answers 404 RESOURCE_NOT_FOUND for an id nobody used', async () => {
      const response = await client.get(`${CASH_TRANSFER}/${randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(RESOURCE_NOT_FOUND);
    });

    it("answers 404 for another API user's cash transfer, as if it did not exist", async () => {
      const other = await remittanceClient(server);
      const created = await client.create(CASH_TRANSFER, cashTransferBody());
      const response = await other.get(`${CASH_TRANSFER}/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it("answers 404 on the v1_0 transfer path for a cash transfer's reference id", async () => {
      const created = await client.create(CASH_TRANSFER, cashTransferBody());
      const response = await client.get(`/v1_0/transfer/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it("answers 404 on the cash transfer path for a v1_0 transfer's reference id", async () => {
      const created = await client.create('/v1_0/transfer', transferBody());
      const response = await client.get(`${CASH_TRANSFER}/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });
  });

  describe('callbacks', () => {
    it('delivers the final status to X-Callback-Url with PUT and the body GET answers', async () => {
      const path = `/cash/${randomUUID()}`;
      const created = await client.create(CASH_TRANSFER, cashTransferBody(), {
        callbackUrl: receiver.url(path),
      });
      const final = await client.waitForFinal(CASH_TRANSFER, created.referenceId);
      const callback = await callbackAt(receiver, path);
      expect(callback.method).toBe('PUT');
      expect(callback.body).toEqual(final);
    });

    it('calls back with the body GET answers even when the request carried a field MTN does not document', async () => {
      const path = `/cash/${randomUUID()}`;
      const created = await client.create(CASH_TRANSFER, cashTransferBody({ promoCode: 'SPRING' }), {
        callbackUrl: receiver.url(path),
      });
      expect(created.status).toBe(202);
      const final = await client.waitForFinal(CASH_TRANSFER, created.referenceId);
      expect(final).not.toHaveProperty('promoCode');
      const callback = await callbackAt(receiver, path);
      expect(callback.body).toEqual(final);
    });
  });
});
