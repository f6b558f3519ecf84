/** POST /collection/v1_0/requesttopay and GET /collection/v1_0/requesttopay/{referenceId}, end to end. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger, postingsOf } from '../support/admin-client.js';
import {
  type CallbackReceiver,
  startCallbackReceiver,
  waitForCallback,
} from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  CollectionClient,
  DUPLICATE_REFERENCE_ID,
  http,
  RESOURCE_NOT_FOUND,
  requestToPayBody,
  sleep,
} from '../support/momo-client.js';
import { holderWithWallet, samePartnerClients, uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(ENGINES)('request to pay on %s', (engine) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: CollectionClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    receiver = await startCallbackReceiver();
    client = await CollectionClient.create(server.baseUrl);
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  describe('when the payer approves', () => {
    it('accepts with 202 and an empty body, then reads PENDING or SUCCESSFUL with the request echoed', async () => {
      const created = await client.requestToPay(requestToPayBody({ amount: '12.50' }));
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
      const status = await client.getRequestToPay(created.referenceId);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        ...requestToPayBody({ amount: '12.5' }),
        status: expect.stringMatching(/^(PENDING|SUCCESSFUL)$/),
      });
    });

    it('ends SUCCESSFUL with a financialTransactionId and no reason', async () => {
      const created = await client.requestToPay(requestToPayBody());
      const final = await client.waitForFinalStatus(created.referenceId);
      expect(final.status).toBe('SUCCESSFUL');
      expect(final.financialTransactionId).toMatch(/^\d{9,}$/);
      expect(final).not.toHaveProperty('reason');
    });

    it("moves the money from the payer's wallet to the partner's collection account", async () => {
      const payer = uniqueMsisdn();
      const partner = await CollectionClient.create(server.baseUrl);
      const before = await partner.balance();
      const created = await partner.requestToPay(
        requestToPayBody({ amount: '250.75', payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      await partner.waitForFinalStatus(created.referenceId);
      const after = await partner.balance();
      expect(Number(after.availableBalance) - Number(before.availableBalance)).toBeCloseTo(250.75, 2);
      expect(await postingsOf(server.baseUrl, partner, created.referenceId)).toEqual([
        expect.objectContaining({ amountMinor: '25075' }),
      ]);
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it('delivers the final status to X-Callback-Url with PUT and the body GET answers', async () => {
      const created = await client.requestToPay(requestToPayBody(), {
        callbackUrl: receiver.url(`/momo/${randomUUID()}`),
      });
      const final = await client.waitForFinalStatus(created.referenceId);
      const callback = await waitForCallback(
        receiver,
        (c) =>
          (c.body as { financialTransactionId?: string }).financialTransactionId ===
          final.financialTransactionId,
      );
      expect(callback.method).toBe('PUT');
      expect(callback.headers['content-type']).toMatch(/^application\/json/);
      expect(callback.body).toEqual(final);
    });
  });

  describe('validation', () => {
    it.each([
      ['a currency the sandbox does not allow', { currency: 'UGX' }, 400, 'INVALID_CURRENCY'],
      ['an unknown currency', { currency: 'XYZ' }, 400, 'INVALID_CURRENCY'],
      ['more decimals than the currency has', { amount: '1.005' }, 400, 'BAD_REQUEST'],
      ['a zero amount', { amount: '0' }, 400, 'BAD_REQUEST'],
      ['a negative amount', { amount: '-5' }, 400, 'BAD_REQUEST'],
      ['an amount in exponent notation', { amount: '1e3' }, 400, 'BAD_REQUEST'],
      ['an overflowing amount', { amount: '9'.repeat(40) }, 400, 'BAD_REQUEST'],
      [
        'an MSISDN with a plus sign',
        { payer: { partyIdType: 'MSISDN', partyId: '+46733123499' } },
        400,
        'BAD_REQUEST',
      ],
      [
        'an e-mail that is not one',
        { payer: { partyIdType: 'EMAIL', partyId: 'not-an-email' } },
        400,
        'BAD_REQUEST',
      ],
      [
        'a party code that is not a UUID',
        { payer: { partyIdType: 'PARTY_CODE', partyId: '1234' } },
        400,
        'BAD_REQUEST',
      ],
      ['an unknown party id type', { payer: { partyIdType: 'ALIAS', partyId: 'x' } }, 400, 'BAD_REQUEST'],
      ['a payer message over 160 characters', { payerMessage: 'x'.repeat(161) }, 400, 'BAD_REQUEST'],
      ['an ampersand in the payee note', { payeeNote: 'fish & chips' }, 400, 'BAD_REQUEST'],
      ['an apostrophe in the payer message', { payerMessage: "o'clock" }, 400, 'BAD_REQUEST'],
      ['no amount', { amount: undefined }, 400, 'BAD_REQUEST'],
      ['no payer', { payer: undefined }, 400, 'BAD_REQUEST'],
      ['an amount sent as a list', { amount: ['1500'] }, 400, 'BAD_REQUEST'],
      ['a currency sent as a list', { currency: ['EUR'] }, 400, 'BAD_REQUEST'],
      ['an external id sent as a list', { externalId: ['6353636'] }, 400, 'BAD_REQUEST'],
    ])('refuses %s and writes nothing', async (_name, overrides, status, code) => {
      const payer = uniqueMsisdn();
      const body = {
        ...requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }),
        ...overrides,
      };
      const created = await client.requestToPay(body);
      expect(created.status).toBe(status);
      expect(created.body).toEqual({ code, message: expect.any(String) });
      expect((await client.getRequestToPay(created.referenceId)).status).toBe(404);
      expect((await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${payer}`)).status).toBe(404);
    });

    it('refuses a callback URL on another host than providerCallbackHost with INVALID_CALLBACK_URL_HOST', async () => {
      const created = await client.requestToPay(requestToPayBody(), {
        callbackUrl: 'http://evil.example/steal',
      });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'INVALID_CALLBACK_URL_HOST' });
      expect((await client.getRequestToPay(created.referenceId)).status).toBe(404);
    });

    it('refuses a body that is not JSON with 400 in the MoMo shape', async () => {
      const response = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
        headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
        rawBody: '{"amount": ',
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('refuses a missing X-Reference-Id with 400', async () => {
      const response = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
        headers: client.headers({ 'Content-Type': 'application/json' }),
        body: requestToPayBody(),
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        code: 'BAD_REQUEST',
        message: 'X-Reference-Id header must be a UUID version 4.',
      });
    });

    it('refuses a body nested deeper than 32 levels with 400 and writes nothing', async () => {
      // Written out: JSON.stringify itself cannot go 5,000 levels deep.
      const deep = `${'{"deeper":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const referenceId = randomUUID();
      const created = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
        headers: client.headers({ 'X-Reference-Id': referenceId, 'Content-Type': 'application/json' }),
        rawBody: JSON.stringify(requestToPayBody()).replace(/}$/, `,"extra":${deep}}`),
      });

      expect(created.status).toBe(400);
      expect(created.body).toEqual({
        code: 'BAD_REQUEST',
        message: 'The JSON body is nested deeper than 32 levels.',
      });
      expect((await client.getRequestToPay(referenceId)).status).toBe(404);
    });

    it('refuses a body over the size limit with 413 in the MoMo shape', async () => {
      const created = await client.requestToPay(requestToPayBody({ externalId: 'x'.repeat(100_000) }));
      expect(created.status).toBe(413);
      expect(created.body).toMatchObject({ code: 'BAD_REQUEST' });
    });
  });

  describe('tolerance of what real clients send', () => {
    it('accepts numbers where the schema says string, as the seed examples send them', async () => {
      const created = await client.requestToPay(
        requestToPayBody({
          amount: 100,
          externalId: 83453,
          payer: { partyIdType: 'MSISDN', partyId: 4609274685 },
        }),
      );
      expect(created.status).toBe(202);
      const status = await client.getRequestToPay(created.referenceId);
      expect(status.body).toMatchObject({
        amount: '100',
        externalId: '83453',
        payer: { partyId: '4609274685' },
      });
    });

    it('echoes an e-mail payer as it was sent, while matching it to its holder whatever its case', async () => {
      const address = `Amina.Okello.${randomUUID().slice(0, 8)}@Example.com`;
      const first = await client.requestToPay(
        requestToPayBody({ amount: '5', payer: { partyIdType: 'EMAIL', partyId: address } }),
      );
      const second = await client.requestToPay(
        requestToPayBody({ amount: '5', payer: { partyIdType: 'EMAIL', partyId: address.toLowerCase() } }),
      );
      expect(await client.waitForFinalStatus(first.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
        payer: { partyIdType: 'EMAIL', partyId: address },
      });
      expect(await client.waitForFinalStatus(second.referenceId)).toMatchObject({
        payer: { partyIdType: 'EMAIL', partyId: address.toLowerCase() },
      });
      const [firstPosting] = await postingsOf(server.baseUrl, client, first.referenceId);
      const [secondPosting] = await postingsOf(server.baseUrl, client, second.referenceId);
      expect(secondPosting?.debitAccountId).toBe(firstPosting?.debitAccountId);
    });

    it('accepts header names in any case and a Content-Type with a charset', async () => {
      const referenceId = randomUUID();
      const headers = Object.fromEntries(
        Object.entries(client.headers()).map(([name, value]) => [name.toUpperCase(), value]),
      );
      const response = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
        headers: {
          ...headers,
          'X-REFERENCE-ID': referenceId,
          'content-type': 'application/json; charset=utf-8',
        },
        body: requestToPayBody(),
      });
      expect(response.status).toBe(202);
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['the form type curl -d sends without a header', 'application/x-www-form-urlencoded'],
    ])('reads a JSON body sent as %s', async (_, contentType) => {
      const referenceId = randomUUID();
      const response = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
        headers: { ...client.headers(), 'X-Reference-Id': referenceId, 'Content-Type': contentType },
        body: requestToPayBody({ amount: '12' }),
      });

      expect(response.status).toBe(202);
      expect((await client.getRequestToPay(referenceId)).body).toMatchObject({ amount: '12' });
    });
  });

  describe('idempotency', () => {
    it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST and keeps the first request', async () => {
      const first = await client.requestToPay(requestToPayBody({ amount: '10' }));
      const second = await client.requestToPay(requestToPayBody({ amount: '99' }), {
        referenceId: first.referenceId,
      });
      expect(second.status).toBe(409);
      expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
      expect((await client.getRequestToPay(first.referenceId)).body).toMatchObject({ amount: '10' });
    });

    it.each([
      ['an invalid body', { amount: 'ten' }, {}],
      ['a callback URL on another host', {}, { callbackUrl: 'http://elsewhere.example/cb' }],
    ])('answers a repeated X-Reference-Id with %s 409, as any other repeat', async (_name, body, options) => {
      const first = await client.requestToPay(requestToPayBody());
      const repeat = await client.requestToPay(requestToPayBody(body), {
        referenceId: first.referenceId,
        ...options,
      });
      expect(repeat.status).toBe(409);
      expect(repeat.body).toEqual(DUPLICATE_REFERENCE_ID);
    });

    it('leaves no trace of a refused repeat that named a payer nobody knew', async () => {
      const first = await client.requestToPay(requestToPayBody());
      const newcomer = uniqueMsisdn();
      const repeat = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: newcomer } }),
        { referenceId: first.referenceId },
      );

      expect(repeat.status).toBe(409);
      expect((await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${newcomer}`)).status).toBe(404);
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it('creates exactly one transaction and one posting when the same X-Reference-Id arrives 20 times at once', async () => {
      const referenceId = randomUUID();
      const payer = uniqueMsisdn();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          client.requestToPay(
            requestToPayBody({ amount: '7', payer: { partyIdType: 'MSISDN', partyId: payer } }),
            { referenceId },
          ),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 202)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      await client.waitForFinalStatus(referenceId);
      expect(await postingsOf(server.baseUrl, client, referenceId)).toHaveLength(1);
    });

    it('lets another API user use the same X-Reference-Id for its own request', async () => {
      const other = await CollectionClient.create(server.baseUrl);
      const first = await client.requestToPay(requestToPayBody());
      const second = await other.requestToPay(requestToPayBody(), { referenceId: first.referenceId });
      expect(second.status).toBe(202);
    });
  });

  describe('reading status', () => {
    it('answers 404 RESOURCE_NOT_FOUND for an id nobody used', async () => {
      const response = await client.getRequestToPay(randomUUID());
      expect(response.status).toBe(404);
      expect(response.body).toEqual(RESOURCE_NOT_FOUND);
    });

    it("answers 404 for another API user's request, as if it did not exist", async () => {
      const other = await CollectionClient.create(server.baseUrl);
      const created = await client.requestToPay(requestToPayBody());
      const response = await other.getRequestToPay(created.referenceId);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it('answers 400 for a reference id that is not a UUID', async () => {
      const response = await client.getRequestToPay('incorrect_referenceId');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });
  });

  describe('sandbox test numbers', () => {
    it.each([
      ['46733123450', 'INTERNAL_PROCESSING_ERROR'],
      ['46733123451', 'APPROVAL_REJECTED'],
      ['46733123452', 'EXPIRED'],
      ['46733123460', 'NOT_ENOUGH_FUNDS'],
      ['46733123461', 'PAYER_NOT_FOUND'],
      ['46733123462', 'PAYER_LIMIT_REACHED'],
      ['46733123463', 'NOT_ALLOWED'],
      ['46733123464', 'TRANSACTION_CANCELED'],
      ['46733123465', 'SERVICE_UNAVAILABLE'],
      ['46733123466', 'PAYEE_NOT_ALLOWED_TO_RECEIVE'],
      ['46733123467', 'PAYMENT_NOT_APPROVED'],
      ['46733123468', 'PAYEE_NOT_FOUND'],
      ['46733123469', 'NOT_ALLOWED_TARGET_ENVIRONMENT'],
    ])('%s ends FAILED with %s, as a 200 status with a reason, moving no money', async (msisdn, reason) => {
      // A partner of its own: no other test's request can settle into this balance meanwhile.
      const partner = await CollectionClient.create(server.baseUrl);
      const before = await partner.balance();
      const created = await partner.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
      );
      expect(created.status).toBe(202);
      const final = await partner.waitForFinalStatus(created.referenceId);
      expect(final).toMatchObject({
        status: 'FAILED',
        reason: { code: reason, message: expect.any(String) },
      });
      expect(final).not.toHaveProperty('financialTransactionId');
      expect(await partner.balance()).toEqual(before);
    });

    it('keeps 46733123453 PENDING (MTN "ongoing")', async () => {
      const created = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: '46733123453' } }),
      );
      await sleep(200);
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
    });

    it('keeps 46733123454 PENDING for the delayed time, then SUCCESSFUL', async () => {
      const created = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: '46733123454' } }),
      );
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      const final = await client.waitForFinalStatus(created.referenceId);
      expect(final.status).toBe('SUCCESSFUL');
    });

    it('fails an ordinary payer whose wallet cannot cover the amount with NOT_ENOUGH_FUNDS', async () => {
      const payer = await holderWithWallet(server.baseUrl, '5', { givenName: 'Poor' });
      const created = await client.requestToPay(
        requestToPayBody({ amount: '5.01', payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({
        status: 'FAILED',
        reason: { code: 'NOT_ENOUGH_FUNDS' },
      });
      const affordable = await client.requestToPay(
        requestToPayBody({ amount: '5', payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      expect(await client.waitForFinalStatus(affordable.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it("opens a sandbox payer's wallet in a new currency funded, like its first one", async () => {
      const payer = uniqueMsisdn();
      const eur = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      await client.waitForFinalStatus(eur.referenceId);
      const { collection: ugandan } = await samePartnerClients(server.baseUrl, ['collection'], {
        name: 'Kampala',
        targetEnvironment: 'mtnuganda',
      });
      const ugx = await ugandan.create(
        '/v1_0/requesttopay',
        requestToPayBody({
          amount: '20000',
          currency: 'UGX',
          payer: { partyIdType: 'MSISDN', partyId: payer },
        }),
      );
      const status = await ugandan.waitForFinal('/v1_0/requesttopay', ugx.referenceId);
      expect(status).toMatchObject({ status: 'SUCCESSFUL', currency: 'UGX' });
    });

    it('fails a blocked payer with NOT_ALLOWED', async () => {
      const payer = uniqueMsisdn();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { status: 'BLOCKED' });
      const created = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({
        status: 'FAILED',
        reason: { code: 'NOT_ALLOWED' },
      });
    });
  });
});

describe.each(ENGINES)('request to pay with the bare-string reason MTN sends live, on %s', (engine) => {
  it('sends reason as the code string when REASON_FORMAT=string', async () => {
    const server = await startTestServer(engine, { config: { reasonFormat: 'string' } });
    try {
      const client = await CollectionClient.create(server.baseUrl);
      const created = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: '46733123451' } }),
      );
      expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({
        status: 'FAILED',
        reason: 'APPROVAL_REJECTED',
      });
    } finally {
      await server.close();
    }
  });
});
