/**
 * Disbursement v1_0 end to end over a real port: transfer, deposit and refund (POST then GET), the partner's
 * disbursement balance, account holders, and the gateway's checks on disbursement calls. Deposit and refund
 * are one resource each at v1_0 and v2_0 (v2_0 has a POST only): their specs run with both POSTs here, and
 * what only v2_0 shows is in v2_0.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger, postingsOf } from '../support/admin-client.js';
import { type CallbackReceiver, callbackAt, startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  basicAuth,
  DUPLICATE_REFERENCE_ID,
  http,
  ProductClient,
  provisionSandboxUser,
  RESOURCE_NOT_FOUND,
  refundBody,
  requestToPayBody,
  sleep,
  transferBody,
} from '../support/momo-client.js';
import {
  anotherApiUserOf,
  collect,
  holderWithWallet,
  msisdnParty,
  type SamePartner,
  samePartnerClients,
  successfulCollection,
  uniqueMsisdn,
} from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Transfer and deposit are payouts with the same TransferResult. Deposit is one resource at v1_0 and v2_0,
 * v2_0 with a POST only: a deposit made at either version is read with the v1_0 GET.
 */
const PAYOUTS = [
  { payout: 'transfer', postPath: '/v1_0/transfer', statusPath: '/v1_0/transfer' },
  { payout: 'deposit', postPath: '/v1_0/deposit', statusPath: '/v1_0/deposit' },
  { payout: 'deposit', postPath: '/v2_0/deposit', statusPath: '/v1_0/deposit' },
] as const;
const DEPOSIT_PATHS = ['/v1_0/deposit', '/v2_0/deposit'] as const;
/** Where each kind of disbursement is read: a reference id shows only at its own kind's path. */
const STATUS_PATHS = ['/v1_0/transfer', '/v1_0/deposit', '/v1_0/refund'];
const REFUND_PATHS = ['/v1_0/refund', '/v2_0/refund'] as const;

/** An EUR amount as minor units (cents), so balances compare without floating point. */
const cents = (amount: string): bigint => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
};

const euros = (minor: bigint): string => {
  const fraction = (minor % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? `${minor / 100n}` : `${minor / 100n}.${fraction}`;
};

/** One partner with a Collection and a Disbursement subscription and one sandbox API user using both. */
const partnerWithBothProducts = (baseUrl: string) =>
  samePartnerClients(baseUrl, ['collection', 'disbursement'], { name: 'Refunding shop' });

const GATEWAY_INVALID_KEY = {
  statusCode: 401,
  message:
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

describe.each(ENGINES)('disbursement v1_0 on %s', (engine) => {
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

  describe('payouts', () => {
    describe.each(PAYOUTS)('$payout made with POST $postPath', ({ payout, postPath, statusPath }) => {
      const payOut = (body: unknown, options: { referenceId?: string; callbackUrl?: string } = {}) =>
        client.create(postPath, body, options);

      describe('creating and reading', () => {
        it(`accepts a ${payout} with 202 and an empty body`, async () => {
          const created = await payOut(transferBody());
          expect(created.status).toBe(202);
          expect(created.text).toBe('');
        });

        it(`reads the ${payout} back as PENDING or SUCCESSFUL with the request echoed and the amount normalised`, async () => {
          const created = await payOut(transferBody({ amount: '12.50' }));
          const status = await client.get(`${statusPath}/${created.referenceId}`);
          expect(status.status).toBe(200);
          expect(status.body).toMatchObject({
            ...transferBody({ amount: '12.5' }),
            status: expect.stringMatching(/^(PENDING|SUCCESSFUL)$/),
          });
        });

        it('ends SUCCESSFUL with a financialTransactionId and every TransferResult field, without a reason', async () => {
          const created = await payOut(transferBody({ amount: '12.50' }));
          const final = await client.waitForFinal(statusPath, created.referenceId);
          expect(final).toEqual({
            ...transferBody({ amount: '12.5' }),
            financialTransactionId: expect.stringMatching(/^\d{9,}$/),
            status: 'SUCCESSFUL',
          });
        });

        it(`keeps a ${payout} to 46733123454 PENDING for the delayed time, then SUCCESSFUL`, async () => {
          const created = await payOut(transferBody({ payee: msisdnParty('46733123454') }));
          expect((await client.get(`${statusPath}/${created.referenceId}`)).body).toMatchObject({
            status: 'PENDING',
          });
          expect(await client.waitForFinal(statusPath, created.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
            financialTransactionId: expect.stringMatching(/^\d{9,}$/),
          });
        });

        it(`gives each successful ${payout} its own financialTransactionId`, async () => {
          const first = await payOut(transferBody());
          const second = await payOut(transferBody());
          const firstFinal = await client.waitForFinal(statusPath, first.referenceId);
          const secondFinal = await client.waitForFinal(statusPath, second.referenceId);
          expect(firstFinal.financialTransactionId).not.toBe(secondFinal.financialTransactionId);
        });

        it('accepts numbers where the schema says string, as the seed examples send them', async () => {
          const created = await payOut(
            transferBody({
              amount: 100,
              externalId: 83453,
              payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
            }),
          );
          expect(created.status).toBe(202);
          expect((await client.get(`${statusPath}/${created.referenceId}`)).body).toMatchObject({
            amount: '100',
            externalId: '83453',
            payee: { partyIdType: 'MSISDN', partyId: '4609274685' },
          });
        });

        it('leaves out externalId, payerMessage and payeeNote when the request had none', async () => {
          const created = await payOut({ amount: '5', currency: 'EUR', payee: msisdnParty('46733123499') });
          expect(created.status).toBe(202);
          const final = await client.waitForFinal(statusPath, created.referenceId);
          expect(final).toEqual({
            amount: '5',
            currency: 'EUR',
            financialTransactionId: expect.any(String),
            payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
            status: 'SUCCESSFUL',
          });
        });

        it('pays an EMAIL payee', async () => {
          const created = await payOut(
            transferBody({ payee: { partyIdType: 'EMAIL', partyId: 'jane@example.com' } }),
          );
          expect(await client.waitForFinal(statusPath, created.referenceId)).toMatchObject({
            payee: { partyIdType: 'EMAIL', partyId: 'jane@example.com' },
            status: 'SUCCESSFUL',
          });
        });
      });

      describe('money', () => {
        it("debits the partner's disbursement balance by the amount", async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const created = await partner.create(postPath, transferBody({ amount: '250.75' }));
          expect(await partner.waitForFinal(statusPath, created.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
          });
          const after = await partner.balance();
          expect(after.currency).toBe('EUR');
          expect(cents(before.availableBalance) - cents(after.availableBalance)).toBe(25075n);
        });

        it("credits the payee's wallet with the amount", async () => {
          const payee = await holderWithWallet(server.baseUrl, '1');
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const created = await partner.create(
            postPath,
            transferBody({ amount: '500', payee: msisdnParty(payee) }),
          );
          await partner.waitForFinal(statusPath, created.referenceId);
          // The payee's wallet now holds 501: a collection of 501.01 from it fails, one of 501 succeeds.
          const collector = await ProductClient.forProduct(server.baseUrl, 'collection');
          expect((await collect(collector, payee, '501.01')).final).toMatchObject({
            status: 'FAILED',
            reason: { code: 'NOT_ENOUGH_FUNDS' },
          });
          expect((await collect(collector, payee, '501')).final).toMatchObject({ status: 'SUCCESSFUL' });
        });

        it('records one ledger posting of the amount and keeps the ledger balanced', async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const created = await partner.create(postPath, transferBody({ amount: '250.75' }));
          await partner.waitForFinal(statusPath, created.referenceId);
          expect(await postingsOf(server.baseUrl, partner, created.referenceId)).toEqual([
            expect.objectContaining({ amountMinor: '25075' }),
          ]);
          expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
        });

        it('pays out the whole balance, leaving 0', async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const created = await partner.create(postPath, transferBody({ amount: before.availableBalance }));
          expect(await partner.waitForFinal(statusPath, created.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
          });
          expect(await partner.balance()).toEqual({ availableBalance: '0', currency: 'EUR' });
        });

        it(`fails a ${payout} larger than the partner's balance with NOT_ENOUGH_FUNDS and moves nothing`, async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const created = await partner.create(
            postPath,
            transferBody({ amount: euros(cents(before.availableBalance) + 1n) }),
          );
          expect(created.status).toBe(202);
          const final = await partner.waitForFinal(statusPath, created.referenceId);
          expect(final).toMatchObject({
            status: 'FAILED',
            reason: { code: 'NOT_ENOUGH_FUNDS', message: expect.any(String) },
          });
          expect(final).not.toHaveProperty('financialTransactionId');
          expect(await partner.balance()).toEqual(before);
          expect(await postingsOf(server.baseUrl, partner, created.referenceId)).toEqual([]);
          expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
        });
        it(`never overdraws the partner when ${payout}s accepted together exceed the balance`, async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const share = euros((cents(before.availableBalance) * 2n) / 5n);
          const created = await Promise.all(
            Array.from({ length: 3 }, () => partner.create(postPath, transferBody({ amount: share }))),
          );
          expect(created.map((response) => response.status)).toEqual([202, 202, 202]);
          const finals = await Promise.all(
            created.map((response) => partner.waitForFinal(statusPath, response.referenceId)),
          );
          expect(finals.map((final) => final.status).sort()).toEqual(['FAILED', 'SUCCESSFUL', 'SUCCESSFUL']);
          expect(finals.find((final) => final.status === 'FAILED')).toMatchObject({
            reason: { code: 'NOT_ENOUGH_FUNDS' },
          });
          expect(cents((await partner.balance()).availableBalance)).toBe(cents(before.availableBalance) / 5n);
          expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
        });
      });

      describe('sandbox test payees', () => {
        it.each([
          ['46733123450', 'INTERNAL_PROCESSING_ERROR'],
          ['46733123451', 'APPROVAL_REJECTED'],
          ['46733123452', 'EXPIRED'],
          ['46733123461', 'PAYEE_NOT_FOUND'],
          ['46733123466', 'PAYEE_NOT_ALLOWED_TO_RECEIVE'],
          ['46733123468', 'PAYEE_NOT_FOUND'],
        ])(
          `ends a ${payout} to %s FAILED with %s, as a 200 status with a reason, moving no money`,
          async (payee, reason) => {
            const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
            const before = await partner.balance();
            const created = await partner.create(postPath, transferBody({ payee: msisdnParty(payee) }));
            expect(created.status).toBe(202);
            const status = await partner.getFinal(statusPath, created.referenceId);
            expect(status.status).toBe(200);
            expect(status.body).toMatchObject({
              status: 'FAILED',
              reason: { code: reason, message: expect.any(String) },
            });
            expect(status.body).not.toHaveProperty('financialTransactionId');
            expect(await partner.balance()).toEqual(before);
          },
        );

        it(`keeps a ${payout} to 46733123453 PENDING (MTN "ongoing") and moves no money`, async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const created = await partner.create(postPath, transferBody({ payee: msisdnParty('46733123453') }));
          await sleep(200);
          expect((await partner.get(`${statusPath}/${created.referenceId}`)).body).toMatchObject({
            status: 'PENDING',
          });
          expect(await partner.balance()).toEqual(before);
        });

        it(`fails a ${payout} to a blocked payee with PAYEE_NOT_ALLOWED_TO_RECEIVE and moves no money`, async () => {
          const payee = uniqueMsisdn();
          await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payee}`, { status: 'BLOCKED' });
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const created = await partner.create(postPath, transferBody({ payee: msisdnParty(payee) }));
          expect(await partner.waitForFinal(statusPath, created.referenceId)).toMatchObject({
            status: 'FAILED',
            reason: { code: 'PAYEE_NOT_ALLOWED_TO_RECEIVE' },
          });
          expect(await partner.balance()).toEqual(before);
        });
      });

      describe('validation', () => {
        it.each([
          ['a currency the sandbox does not allow', { currency: 'UGX' }, 'INVALID_CURRENCY'],
          ['an unknown currency', { currency: 'XYZ' }, 'INVALID_CURRENCY'],
          ['more decimals than the currency has', { amount: '1.005' }, 'BAD_REQUEST'],
          ['a zero amount', { amount: '0' }, 'BAD_REQUEST'],
          ['a negative amount', { amount: '-5' }, 'BAD_REQUEST'],
          ['an amount that is not a number', { amount: 'ten' }, 'BAD_REQUEST'],
          ['an amount in exponent notation', { amount: '1e3' }, 'BAD_REQUEST'],
          ['a payee MSISDN with a plus sign', { payee: msisdnParty('+46733123499') }, 'BAD_REQUEST'],
          ['a payee MSISDN with letters', { payee: msisdnParty('4673312349x') }, 'BAD_REQUEST'],
          [
            'a payee e-mail that is not one',
            { payee: { partyIdType: 'EMAIL', partyId: 'nobody' } },
            'BAD_REQUEST',
          ],
          [
            'a payee party code that is not a UUID',
            { payee: { partyIdType: 'PARTY_CODE', partyId: '1' } },
            'BAD_REQUEST',
          ],
          ['an unknown payee id type', { payee: { partyIdType: 'ALIAS', partyId: 'x' } }, 'BAD_REQUEST'],
          ['a payer message over 160 characters', { payerMessage: 'x'.repeat(161) }, 'BAD_REQUEST'],
          ['an ampersand in the payee note', { payeeNote: 'fish & chips' }, 'BAD_REQUEST'],
          ['no amount', { amount: undefined }, 'BAD_REQUEST'],
          ['no currency', { currency: undefined }, 'BAD_REQUEST'],
          ['no payee', { payee: undefined }, 'BAD_REQUEST'],
        ])('refuses %s with 400 %s and writes nothing', async (_name, overrides, code) => {
          const payee = uniqueMsisdn();
          const created = await payOut({ ...transferBody({ payee: msisdnParty(payee) }), ...overrides });
          expect(created.status).toBe(400);
          expect(created.body).toEqual({ code, message: expect.any(String) });
          expect((await client.get(`${statusPath}/${created.referenceId}`)).status).toBe(404);
          expect((await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${payee}`)).status).toBe(404);
        });

        it('refuses a callback URL on another host than providerCallbackHost with INVALID_CALLBACK_URL_HOST', async () => {
          const created = await payOut(transferBody(), { callbackUrl: 'http://evil.example/steal' });
          expect(created.status).toBe(400);
          expect(created.body).toEqual({ code: 'INVALID_CALLBACK_URL_HOST', message: expect.any(String) });
          expect((await client.get(`${statusPath}/${created.referenceId}`)).status).toBe(404);
        });

        it('refuses a missing X-Reference-Id with 400', async () => {
          const response = await http(server.baseUrl, 'POST', `/disbursement${postPath}`, {
            headers: client.headers({ 'Content-Type': 'application/json' }),
            body: transferBody(),
          });
          expect(response.status).toBe(400);
          expect(response.body).toEqual({
            code: 'BAD_REQUEST',
            message: 'X-Reference-Id header must be a UUID version 4.',
          });
        });

        it('refuses an X-Reference-Id that is not a UUID with 400', async () => {
          const created = await payOut(transferBody(), { referenceId: `${payout}-17` });
          expect(created.status).toBe(400);
          expect(created.body).toMatchObject({ code: 'BAD_REQUEST' });
        });

        it('refuses a body that is not JSON with 400 in the MoMo shape', async () => {
          const response = await http(server.baseUrl, 'POST', `/disbursement${postPath}`, {
            headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
            rawBody: '{"amount": ',
          });
          expect(response.status).toBe(400);
          expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
        });
      });

      describe('idempotency', () => {
        it(`answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST and keeps the first ${payout}`, async () => {
          const first = await payOut(transferBody({ amount: '10' }));
          const second = await payOut(transferBody({ amount: '99' }), { referenceId: first.referenceId });
          expect(second.status).toBe(409);
          expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
          expect((await client.get(`${statusPath}/${first.referenceId}`)).body).toMatchObject({
            amount: '10',
          });
        });

        it('pays once when the same X-Reference-Id arrives 10 times at once', async () => {
          const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const before = await partner.balance();
          const referenceId = randomUUID();
          const responses = await Promise.all(
            Array.from({ length: 10 }, () =>
              partner.create(postPath, transferBody({ amount: '7' }), { referenceId }),
            ),
          );
          const statuses = responses.map((response) => response.status);
          expect(statuses.filter((status) => status === 202)).toHaveLength(1);
          expect(statuses.filter((status) => status === 409)).toHaveLength(9);
          await partner.waitForFinal(statusPath, referenceId);
          expect(cents(before.availableBalance) - cents((await partner.balance()).availableBalance)).toBe(
            700n,
          );
        });

        it(`lets another API user use the same X-Reference-Id for its own ${payout}`, async () => {
          const other = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const first = await payOut(transferBody());
          const second = await other.create(postPath, transferBody(), { referenceId: first.referenceId });
          expect(second.status).toBe(202);
        });
      });

      describe('reading status', () => {
        it(`answers 404 for another API user's ${payout}, as if it did not exist`, async () => {
          const other = await ProductClient.forProduct(server.baseUrl, 'disbursement');
          const created = await payOut(transferBody());
          const response = await other.get(`${statusPath}/${created.referenceId}`);
          expect(response.status).toBe(404);
          expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        });

        it(`reads a ${payout} whatever the case of its reference id`, async () => {
          const created = await payOut(transferBody());
          const response = await client.get(`${statusPath}/${created.referenceId.toUpperCase()}`);
          expect(response.status).toBe(200);
        });

        it.each(STATUS_PATHS.filter((path) => path !== statusPath))(
          `does not show a ${payout} at %s`,
          async (path) => {
            const created = await payOut(transferBody());
            expect((await client.get(`${path}/${created.referenceId}`)).status).toBe(404);
          },
        );
      });

      describe('callbacks', () => {
        it('delivers the final status to X-Callback-Url with PUT and the body GET answers', async () => {
          const path = `/${payout}/${randomUUID()}`;
          const created = await payOut(transferBody(), { callbackUrl: receiver.url(path) });
          const final = await client.waitForFinal(statusPath, created.referenceId);
          const callback = await callbackAt(receiver, path);
          expect(callback.method).toBe('PUT');
          expect(callback.headers['content-type']).toMatch(/^application\/json/);
          expect(callback.body).toEqual(final);
          expect(final.status).toBe('SUCCESSFUL');
        });

        it('delivers a FAILED status with its reason to X-Callback-Url', async () => {
          const path = `/${payout}/${randomUUID()}`;
          const created = await payOut(transferBody({ payee: msisdnParty('46733123450') }), {
            callbackUrl: receiver.url(path),
          });
          const final = await client.waitForFinal(statusPath, created.referenceId);
          const callback = await callbackAt(receiver, path);
          expect(callback.body).toEqual(final);
          expect(callback.body).toMatchObject({
            status: 'FAILED',
            reason: { code: 'INTERNAL_PROCESSING_ERROR' },
          });
        });
      });
    });

    describe.each(['/v1_0/transfer', '/v1_0/deposit'])('reading %s', (statusPath) => {
      it('answers 404 RESOURCE_NOT_FOUND for an id nobody used', async () => {
        const response = await client.get(`${statusPath}/${randomUUID()}`);
        expect(response.status).toBe(404);
        expect(response.body).toEqual(RESOURCE_NOT_FOUND);
      });

      it('answers 400 for a reference id that is not a UUID', async () => {
        const response = await client.get(`${statusPath}/incorrect_referenceId`);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
      });
    });

    it.each(DEPOSIT_PATHS)(
      'answers a transfer X-Reference-Id reused for a deposit at %s with 409',
      async (depositPath) => {
        const first = await client.create('/v1_0/transfer', transferBody());
        const second = await client.create(depositPath, transferBody(), { referenceId: first.referenceId });
        expect(second.status).toBe(409);
        expect(second.body).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST' });
      },
    );
  });

  describe('account balance', () => {
    it("opens a sandbox partner's disbursement account with 1000000 EUR", async () => {
      const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
      const response = await partner.get('/v1_0/account/balance');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ availableBalance: '1000000', currency: 'EUR' });
    });

    it('answers the balance in a named currency', async () => {
      const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
      const response = await partner.get('/v1_0/account/balance/EUR');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ availableBalance: '1000000', currency: 'EUR' });
    });

    it('refuses the balance in a currency the sandbox does not use with 400 INVALID_CURRENCY', async () => {
      const partner = await ProductClient.forProduct(server.baseUrl, 'disbursement');
      const response = await partner.get('/v1_0/account/balance/UGX');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 'INVALID_CURRENCY', message: expect.any(String) });
    });

    it("keeps a partner's disbursement balance apart from its collection balance", async () => {
      const partner = await partnerWithBothProducts(server.baseUrl);
      const before = await partner.disbursement.balance();
      const payer = await holderWithWallet(server.baseUrl, '100');
      expect((await collect(partner.collection, payer, '100')).final).toMatchObject({ status: 'SUCCESSFUL' });
      expect(await partner.disbursement.balance()).toEqual(before);
    });
  });

  describe('access checks', () => {
    it.each(['/disbursement/token/', '/disbursement/token'])(
      'issues a one-hour access token at %s',
      async (path) => {
        const credentials = await provisionSandboxUser(server.baseUrl);
        const response = await http(server.baseUrl, 'POST', path, {
          headers: {
            'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
            Authorization: basicAuth(credentials.apiUserId, credentials.apiKey),
          },
        });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          access_token: expect.any(String),
          token_type: 'access_token',
          expires_in: 3600,
        });
      },
    );

    it('refuses a collection access token on a disbursement call with 401 in the gateway shape', async () => {
      const partner = await partnerWithBothProducts(server.baseUrl);
      const response = await partner.disbursement.create('/v1_0/transfer', transferBody(), {
        headers: { Authorization: `Bearer ${partner.collection.accessToken}` },
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        statusCode: 401,
        message: expect.stringContaining('invalid access token'),
      });
      expect((await partner.disbursement.get(`/v1_0/transfer/${response.referenceId}`)).status).toBe(404);
    });

    it('refuses a collection subscription key on /disbursement/token/ with 401 in the gateway shape', async () => {
      const collection = await ProductClient.forProduct(server.baseUrl, 'collection');
      const { subscriptionKey, apiUserId, apiKey } = collection.credentials;
      const response = await http(server.baseUrl, 'POST', '/disbursement/token/', {
        headers: {
          'Ocp-Apim-Subscription-Key': subscriptionKey,
          Authorization: basicAuth(apiUserId, apiKey),
        },
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(GATEWAY_INVALID_KEY);
    });

    it('refuses a collection subscription key on a disbursement call with 401 in the gateway shape', async () => {
      const partner = await partnerWithBothProducts(server.baseUrl);
      const refused = await http(server.baseUrl, 'GET', '/disbursement/v1_0/account/balance', {
        headers: partner.disbursement.headers({
          'Ocp-Apim-Subscription-Key': partner.collection.credentials.subscriptionKey,
        }),
      });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(GATEWAY_INVALID_KEY);
    });

    it.each([
      ['an access token', 'Authorization', 'missing access token'],
      ['a subscription key', 'Ocp-Apim-Subscription-Key', 'missing subscription key'],
    ])('refuses a disbursement call without %s with 401', async (_name, header, message) => {
      const client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
      const headers = client.headers();
      delete headers[header];
      const response = await http(server.baseUrl, 'GET', `/disbursement/v1_0/transfer/${randomUUID()}`, {
        headers,
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ statusCode: 401, message: expect.stringContaining(message) });
    });

    it("refuses an X-Target-Environment other than the API user's with 403 NOT_ALLOWED_TARGET_ENVIRONMENT", async () => {
      const client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
      const response = await client.create('/v1_0/transfer', transferBody(), {
        headers: { 'X-Target-Environment': 'mtnuganda' },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'NOT_ALLOWED_TARGET_ENVIRONMENT' });
    });
  });

  describe('refund', () => {
    // v2_0 has a POST only: a refund made at either version is read with the v1_0 GET.
    const finalRefund = (partner: SamePartner<'disbursement'>, referenceId: string) =>
      partner.disbursement.waitForFinal('/v1_0/refund', referenceId);

    describe.each(REFUND_PATHS)('made with POST %s', (refundPath) => {
      /** A new partner with a SUCCESSFUL collection of 100 EUR from a payer whose wallet held exactly that. */
      async function paidPartner() {
        const partner = await partnerWithBothProducts(server.baseUrl);
        return { partner, ...(await successfulCollection(partner, server.baseUrl, '100')) };
      }

      const refund = (
        partner: SamePartner<'disbursement'>,
        referenceIdToRefund: string,
        overrides: Record<string, unknown> = {},
        options: { referenceId?: string; callbackUrl?: string } = {},
      ) => partner.disbursement.create(refundPath, refundBody(referenceIdToRefund, overrides), options);

      describe('of a successful collection', () => {
        it('accepts a refund of part of it with 202 and an empty body', async () => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId);
          expect(created.status).toBe(202);
          expect(created.text).toBe('');
        });

        it('ends SUCCESSFUL, read as a TransferResult whose payee is the original payer', async () => {
          const { partner, payer, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, { amount: '40.50' });
          expect(await finalRefund(partner, created.referenceId)).toEqual({
            amount: '40.5',
            currency: 'EUR',
            financialTransactionId: expect.stringMatching(/^\d{9,}$/),
            externalId: 'R-17',
            payee: { partyIdType: 'MSISDN', partyId: payer },
            payerMessage: 'Refund of order 17',
            payeeNote: 'Order 17 returned',
            status: 'SUCCESSFUL',
          });
        });

        it("puts the money back in the payer's wallet", async () => {
          const { partner, payer, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, { amount: '40' });
          await finalRefund(partner, created.referenceId);
          // The wallet held 100, paid 100, got 40 back: a collection of 40.01 fails, one of 40 succeeds.
          expect((await collect(partner.collection, payer, '40.01')).final).toMatchObject({
            status: 'FAILED',
            reason: { code: 'NOT_ENOUGH_FUNDS' },
          });
          expect((await collect(partner.collection, payer, '40')).final).toMatchObject({
            status: 'SUCCESSFUL',
          });
        });

        it("debits the partner's disbursement balance, not its collection balance", async () => {
          const { partner, referenceId } = await paidPartner();
          const disbursementBefore = await partner.disbursement.balance();
          const collectionBefore = await partner.collection.balance();
          const created = await refund(partner, referenceId, { amount: '40' });
          await finalRefund(partner, created.referenceId);
          const disbursementAfter = await partner.disbursement.balance();
          expect(cents(disbursementBefore.availableBalance) - cents(disbursementAfter.availableBalance)).toBe(
            4000n,
          );
          expect(await partner.collection.balance()).toEqual(collectionBefore);
        });

        it("posts the refund from the partner's account to the wallet the payment came from, keeping the ledger balanced", async () => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, { amount: '40' });
          await finalRefund(partner, created.referenceId);
          const [payment] = await postingsOf(server.baseUrl, partner.collection, referenceId);
          const postings = await postingsOf(server.baseUrl, partner.disbursement, created.referenceId);
          expect(postings).toEqual([
            expect.objectContaining({ amountMinor: '4000', creditAccountId: payment?.debitAccountId }),
          ]);
          expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
        });

        it('delivers the final status to X-Callback-Url with PUT and the body GET answers', async () => {
          const { partner, referenceId } = await paidPartner();
          const path = `/refund/${randomUUID()}`;
          const created = await refund(partner, referenceId, {}, { callbackUrl: receiver.url(path) });
          const final = await finalRefund(partner, created.referenceId);
          const callback = await callbackAt(receiver, path);
          expect(callback.method).toBe('PUT');
          expect(callback.body).toEqual(final);
        });
      });

      describe('of what is left', () => {
        it('refuses a second refund exceeding what is left with 400 BAD_REQUEST naming what is left', async () => {
          const { partner, referenceId } = await paidPartner();
          const first = await refund(partner, referenceId, { amount: '40' });
          await finalRefund(partner, first.referenceId);
          const second = await refund(partner, referenceId, { amount: '60.01' });
          expect(second.status).toBe(400);
          expect(second.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/\b60 EUR\b/) });
          expect((await partner.disbursement.get(`/v1_0/refund/${second.referenceId}`)).status).toBe(404);
        });

        it('accepts a second refund of exactly what is left', async () => {
          const { partner, referenceId } = await paidPartner();
          const first = await refund(partner, referenceId, { amount: '40' });
          await finalRefund(partner, first.referenceId);
          const second = await refund(partner, referenceId, { amount: '60' });
          expect(second.status).toBe(202);
          expect(await finalRefund(partner, second.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
          });
        });

        it('refuses a second refund that, with one just accepted, would exceed the payment', async () => {
          const { partner, referenceId } = await paidPartner();
          const first = await refund(partner, referenceId, { amount: '70' });
          const second = await refund(partner, referenceId, { amount: '70' });
          expect(first.status).toBe(202);
          expect(second.status).toBe(400);
          expect(second.body).toMatchObject({ code: 'BAD_REQUEST' });
        });

        it('refuses a first refund larger than the payment with 400 BAD_REQUEST', async () => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, { amount: '100.01' });
          expect(created.status).toBe(400);
          expect(created.body).toEqual({
            code: 'BAD_REQUEST',
            message: expect.stringMatching(/\b100 EUR\b/),
          });
        });

        it('accepts as many refunds arriving at once as the payment covers and refuses the rest at once', async () => {
          const { partner, referenceId } = await paidPartner();
          const before = await partner.disbursement.balance();
          const created = await Promise.all(
            Array.from({ length: 5 }, () => refund(partner, referenceId, { amount: '30' })),
          );
          const accepted = created.filter((response) => response.status === 202);
          const refused = created.filter((response) => response.status !== 202);
          expect(accepted).toHaveLength(3);
          expect(refused.map((response) => response.body)).toEqual([
            { code: 'BAD_REQUEST', message: expect.stringMatching(/\b10 EUR\b/) },
            { code: 'BAD_REQUEST', message: expect.stringMatching(/\b10 EUR\b/) },
          ]);
          const finals = await Promise.all(
            accepted.map((response) => finalRefund(partner, response.referenceId)),
          );
          expect(finals.map((final) => final.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL', 'SUCCESSFUL']);
          const after = await partner.disbursement.balance();
          expect(cents(before.availableBalance) - cents(after.availableBalance)).toBe(9000n);
          expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
        });

        it('answers a retry of an accepted refund, same X-Reference-Id and body, with 409 and not with what the first try left', async () => {
          const { partner, referenceId } = await paidPartner();
          const first = await refund(partner, referenceId, { amount: '100' });
          await finalRefund(partner, first.referenceId);
          const retry = await refund(
            partner,
            referenceId,
            { amount: '100' },
            { referenceId: first.referenceId },
          );
          expect(first.status).toBe(202);
          expect(retry.status).toBe(409);
          expect(retry.body).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST' });
        });

        it('answers the same refund sent twice at once with one 202 and one 409', async () => {
          const { partner, referenceId } = await paidPartner();
          const referenceIdOfBoth = randomUUID();
          const both = await Promise.all(
            [1, 2].map(() =>
              refund(partner, referenceId, { amount: '100' }, { referenceId: referenceIdOfBoth }),
            ),
          );
          expect(both.map((response) => response.status).sort()).toEqual([202, 409]);
        });

        it('refuses any refund of a fully refunded collection', async () => {
          const { partner, referenceId } = await paidPartner();
          const full = await refund(partner, referenceId, { amount: '100' });
          await finalRefund(partner, full.referenceId);
          const more = await refund(partner, referenceId, { amount: '0.01' });
          expect(more.status).toBe(400);
          expect(more.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/\b0 EUR\b/) });
        });
      });

      describe('refused', () => {
        it('refuses a refund of an unknown referenceIdToRefund with 404 RESOURCE_NOT_FOUND and writes nothing', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const created = await refund(partner, randomUUID());
          expect(created.status).toBe(404);
          expect(created.body).toEqual({ code: 'RESOURCE_NOT_FOUND', message: expect.any(String) });
          expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
        });

        it('refuses a referenceIdToRefund that is no UUID with 400 BAD_REQUEST and writes nothing', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const created = await refund(partner, 'abc');
          expect(created.status).toBe(400);
          expect(created.body).toEqual({
            code: 'BAD_REQUEST',
            message: 'referenceIdToRefund must be a UUID.',
          });
          expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
        });

        it("refuses a refund of its partner's collection made in another target environment, whatever the currency", async () => {
          // mtnbenin and mtnivorycoast both count in XOF: money of one is still not money of the other.
          const benin = await samePartnerClients(server.baseUrl, ['collection'], {
            targetEnvironment: 'mtnbenin',
          });
          const payer = uniqueMsisdn();
          const paid = await benin.collection.create(
            '/v1_0/requesttopay',
            requestToPayBody({ amount: '100', currency: 'XOF', payer: msisdnParty(payer) }),
          );
          expect(await benin.collection.waitForFinal('/v1_0/requesttopay', paid.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
          });
          const ivorian = await anotherApiUserOf(server.baseUrl, benin.partnerId, 'disbursement', {
            targetEnvironment: 'mtnivorycoast',
          });

          const created = await ivorian.create(
            refundPath,
            refundBody(paid.referenceId, { amount: '10', currency: 'XOF' }),
          );

          expect(created.status).toBe(404);
          expect(created.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        });

        it("refunds the refunding API user's own collection where another of its partner's used the same X-Reference-Id", async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const otherCollection = await anotherApiUserOf(server.baseUrl, partner.partnerId, 'collection', {
            subscriptionKey: partner.collection.credentials.subscriptionKey,
          });
          const referenceId = randomUUID();
          const othersPayer = await holderWithWallet(server.baseUrl, '100');
          const ownPayer = await holderWithWallet(server.baseUrl, '100');
          // The other API user's comes first: the older of the two.
          for (const [client, payer] of [
            [otherCollection, othersPayer],
            [partner.collection, ownPayer],
          ] as const) {
            await client.create(
              '/v1_0/requesttopay',
              requestToPayBody({ amount: '50', payer: msisdnParty(payer) }),
              {
                referenceId,
              },
            );
            await client.waitForFinal('/v1_0/requesttopay', referenceId);
          }

          const created = await refund(partner, referenceId, { amount: '50' });

          expect(created.status).toBe(202);
          expect(await finalRefund(partner, created.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
            payee: msisdnParty(ownPayer),
          });
        });

        it('refunds a payment whose X-Reference-Id the refunding API user gave a refund of its own', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const refunds = await anotherApiUserOf(server.baseUrl, partner.partnerId, 'disbursement', {
            subscriptionKey: partner.disbursement.credentials.subscriptionKey,
          });
          const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
          // An integration that numbers an order's refund with the order's own UUID.
          const first = await refunds.create(refundPath, refundBody(referenceId, { amount: '10' }), {
            referenceId,
          });
          await refunds.waitForFinal('/v1_0/refund', referenceId);

          const second = await refunds.create(refundPath, refundBody(referenceId, { amount: '10' }));

          expect(first.status).toBe(202);
          expect(second.status).toBe(202);
        });

        it("refuses a refund of another partner's collection with 404 RESOURCE_NOT_FOUND", async () => {
          const owner = await partnerWithBothProducts(server.baseUrl);
          const { referenceId } = await successfulCollection(owner, server.baseUrl, '100');
          const stranger = await partnerWithBothProducts(server.baseUrl);
          const created = await refund(stranger, referenceId);
          expect(created.status).toBe(404);
          expect(created.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        });

        it('refuses a refund of a transfer, which is no collection, with 404 RESOURCE_NOT_FOUND', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const payout = await partner.disbursement.create('/v1_0/transfer', transferBody({ amount: '100' }));
          await partner.disbursement.waitForFinal('/v1_0/transfer', payout.referenceId);
          const created = await refund(partner, payout.referenceId);
          expect(created.status).toBe(404);
          expect(created.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
        });

        it('refuses a refund of a FAILED collection with 400 TRANSACTION_NOT_COMPLETED', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const { referenceId, final } = await collect(partner.collection, '46733123450', '100');
          expect(final.status).toBe('FAILED');
          const created = await refund(partner, referenceId);
          expect(created.status).toBe(400);
          expect(created.body).toEqual({ code: 'TRANSACTION_NOT_COMPLETED', message: expect.any(String) });
          expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
        });

        it('refuses a refund of a PENDING collection with 400 TRANSACTION_NOT_COMPLETED', async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          const pending = await partner.collection.create(
            '/v1_0/requesttopay',
            requestToPayBody({ payer: msisdnParty('46733123453') }),
          );
          const created = await refund(partner, pending.referenceId);
          expect(created.status).toBe(400);
          expect(created.body).toMatchObject({ code: 'TRANSACTION_NOT_COMPLETED' });
        });

        it('refuses a refund in another currency with 400 INVALID_CURRENCY and writes nothing', async () => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, { currency: 'UGX' });
          expect(created.status).toBe(400);
          expect(created.body).toEqual({ code: 'INVALID_CURRENCY', message: expect.any(String) });
          expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
        });

        it.each([
          ['a zero amount', { amount: '0' }],
          ['more decimals than the currency has', { amount: '1.005' }],
          ['no amount', { amount: undefined }],
          ['no referenceIdToRefund', { referenceIdToRefund: undefined }],
          ['an apostrophe in the payer message', { payerMessage: "o'clock" }],
        ])('refuses a refund with %s with 400 BAD_REQUEST', async (_name, overrides) => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId, overrides);
          expect(created.status).toBe(400);
          expect(created.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) });
          expect((await partner.disbursement.get(`/v1_0/refund/${created.referenceId}`)).status).toBe(404);
        });

        it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST', async () => {
          const { partner, referenceId } = await paidPartner();
          const first = await refund(partner, referenceId, { amount: '10' });
          const second = await refund(
            partner,
            referenceId,
            { amount: '10' },
            { referenceId: first.referenceId },
          );
          expect(second.status).toBe(409);
          expect(second.body).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST' });
        });
      });

      describe('paid out', () => {
        it("fails a refund the partner's disbursement account cannot cover with NOT_ENOUGH_FUNDS", async () => {
          const partner = await partnerWithBothProducts(server.baseUrl);
          await admin(server.baseUrl, 'POST', `/partners/${partner.partnerId}/fund`, {
            product: 'disbursement',
            amount: '10',
            currency: 'EUR',
          });
          const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
          const created = await refund(partner, referenceId, { amount: '40' });
          expect(created.status).toBe(202);
          expect(await finalRefund(partner, created.referenceId)).toMatchObject({
            status: 'FAILED',
            reason: { code: 'NOT_ENOUGH_FUNDS' },
          });
          expect(await partner.disbursement.balance()).toEqual({ availableBalance: '10', currency: 'EUR' });
        });

        it('fails a refund to a payer blocked since the payment with PAYEE_NOT_ALLOWED_TO_RECEIVE', async () => {
          const { partner, payer, referenceId } = await paidPartner();
          await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { status: 'BLOCKED' });
          const created = await refund(partner, referenceId);
          expect(await finalRefund(partner, created.referenceId)).toMatchObject({
            status: 'FAILED',
            reason: { code: 'PAYEE_NOT_ALLOWED_TO_RECEIVE' },
          });
        });

        it('frees the amount of a failed refund for another refund', async () => {
          const { partner, payer, referenceId } = await paidPartner();
          await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { status: 'BLOCKED' });
          const failed = await refund(partner, referenceId, { amount: '100' });
          await finalRefund(partner, failed.referenceId);
          await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { status: 'ACTIVE' });
          const retried = await refund(partner, referenceId, { amount: '100' });
          expect(retried.status).toBe(202);
          expect(await finalRefund(partner, retried.referenceId)).toMatchObject({
            status: 'SUCCESSFUL',
          });
        });
      });

      describe('reading status', () => {
        it('does not show a refund at the transfer URL', async () => {
          const { partner, referenceId } = await paidPartner();
          const created = await refund(partner, referenceId);
          expect((await partner.disbursement.get(`/v1_0/transfer/${created.referenceId}`)).status).toBe(404);
        });
      });
    });

    describe('reading status', () => {
      it('answers 404 RESOURCE_NOT_FOUND for a refund id nobody used', async () => {
        const client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
        const response = await client.get(`/v1_0/refund/${randomUUID()}`);
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
      });

      it('answers 400 for a refund id that is not a UUID', async () => {
        const client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
        const response = await client.get('/v1_0/refund/incorrect_referenceId');
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
      });
    });
  });

  describe('account holders', () => {
    const active = (idType: string, id: string) => client.get(`/v1_0/accountholder/${idType}/${id}/active`);
    const basicUserInfo = (id: string) => client.get(`/v1_0/accountholder/msisdn/${id}/basicuserinfo`);

    it('answers result true for an ordinary sandbox number', async () => {
      const response = await active('msisdn', uniqueMsisdn());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: true });
    });

    it('answers result false for the unknown test number 46733123461', async () => {
      const response = await active('msisdn', '46733123461');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: false });
    });

    it('answers result false for a blocked account holder', async () => {
      const holder = uniqueMsisdn();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${holder}`, { status: 'BLOCKED' });
      expect((await active('msisdn', holder)).body).toEqual({ result: false });
    });

    it.each(['msisdn', 'MSISDN'])('accepts the id type spelled %s', async (idType) => {
      const response = await active(idType, uniqueMsisdn());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: true });
    });

    it('answers for an e-mail account holder', async () => {
      const response = await active('email', 'jane@example.com');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: true });
    });

    it.each(['party_code', 'PARTY_CODE'])(
      'answers for a party code account holder with the id type spelled %s',
      async (idType) => {
        const response = await active(idType, randomUUID());
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ result: true });
      },
    );

    it('refuses an unknown id type with 400 BAD_REQUEST', async () => {
      const response = await active('alias', 'jane');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) });
    });

    it('refuses a malformed MSISDN with 400 BAD_REQUEST', async () => {
      const response = await active('msisdn', 'not-a-number');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('answers the six basic user info fields for an ordinary sandbox number', async () => {
      const response = await basicUserInfo(uniqueMsisdn());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        given_name: expect.any(String),
        family_name: expect.any(String),
        birthdate: expect.any(String),
        locale: expect.any(String),
        gender: expect.any(String),
        status: 'ACTIVE',
      });
    });

    it("answers an account holder's own basic user info", async () => {
      const holder = uniqueMsisdn();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${holder}`, {
        givenName: 'Ada',
        familyName: 'Lovelace',
        birthdate: '1990-12-10',
        locale: 'sv',
        gender: 'female',
      });
      expect((await basicUserInfo(holder)).body).toEqual({
        given_name: 'Ada',
        family_name: 'Lovelace',
        birthdate: '1990-12-10',
        locale: 'sv',
        gender: 'female',
        status: 'ACTIVE',
      });
    });

    it('answers 404 RESOURCE_NOT_FOUND for the basic user info of 46733123461', async () => {
      const response = await basicUserInfo('46733123461');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ code: 'RESOURCE_NOT_FOUND', message: expect.any(String) });
    });
  });
});
