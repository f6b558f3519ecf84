/**
 * Collection v1_0 beyond request to pay, end to end: request to withdraw (one resource, served at v1_0 and
 * v2_0: its spec runs at both paths; what one version sees of the other's is in v2_0.e2e.test.ts), the
 * delivery notification of a request to pay, and the account-holder look-ups (active, basicuserinfo) under
 * /collection.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import { ENGINES } from '../support/engines.js';
import {
  CollectionClient,
  DUPLICATE_REFERENCE_ID,
  http,
  requestToPayBody,
  sleep,
} from '../support/momo-client.js';
import { holderWithWallet, msisdnParty, uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const payerParty = (partyId: string) => ({ payer: msisdnParty(partyId) });

/** The request-to-withdraw paths: POST {path} and GET {path}/{referenceId} at each version. */
const REQUEST_TO_WITHDRAW_PATHS = ['/v1_0/requesttowithdraw', '/v2_0/requesttowithdraw'] as const;

describe.each(ENGINES)('collection v1_0 on %s', (engine) => {
  let server: TestServer;
  let client: CollectionClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = await CollectionClient.create(server.baseUrl);
  });
  afterAll(async () => {
    await server.close();
  });

  describe('request to withdraw', () => {
    describe.each(REQUEST_TO_WITHDRAW_PATHS)('at %s', (path) => {
      const withdraw = (
        body: unknown,
        options: { referenceId?: string } = {},
        by: CollectionClient = client,
      ) => by.create(path, body, options);

      it('accepts with 202 and an empty body', async () => {
        const created = await withdraw(requestToPayBody());
        expect(created.status).toBe(202);
        expect(created.text).toBe('');
      });

      it('ends SUCCESSFUL with the RequestToPayResult shape: the request echoed and a financialTransactionId', async () => {
        const created = await withdraw(requestToPayBody({ amount: '42.50' }));
        const final = await client.waitForFinal(path, created.referenceId);
        expect(final).toEqual({
          ...requestToPayBody({ amount: '42.5' }),
          financialTransactionId: expect.stringMatching(/^\d{9,}$/),
          status: 'SUCCESSFUL',
        });
      });

      it("moves the money from the payer's wallet to the partner's collection account", async () => {
        const payer = await holderWithWallet(server.baseUrl, '1000', { givenName: 'Cash' });
        const partner = await CollectionClient.create(server.baseUrl);
        const before = await partner.balance();
        const created = await withdraw(
          requestToPayBody({ amount: '250.75', ...payerParty(payer) }),
          {},
          partner,
        );
        expect(await partner.waitForFinal(path, created.referenceId)).toMatchObject({
          status: 'SUCCESSFUL',
        });
        const after = await partner.balance();
        expect(Number(after.availableBalance) - Number(before.availableBalance)).toBeCloseTo(250.75, 2);
        // Funding one more euro answers the wallet's new balance: 1000 - 250.75 + 1.
        const wallet = await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, {
          amount: '1',
          currency: 'EUR',
        });
        expect(Number((wallet.body as { availableBalance: string }).availableBalance)).toBeCloseTo(750.25, 2);
        expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
      });

      it('is not readable as a request to pay', async () => {
        const created = await withdraw(requestToPayBody());
        const response = await client.getRequestToPay(created.referenceId);
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
      });

      it('ends FAILED with APPROVAL_REJECTED for test number 46733123451, moving no money', async () => {
        const partner = await CollectionClient.create(server.baseUrl);
        const before = await partner.balance();
        const created = await withdraw(requestToPayBody(payerParty('46733123451')), {}, partner);
        expect(created.status).toBe(202);
        const final = await partner.waitForFinal(path, created.referenceId);
        expect(final).toMatchObject({
          status: 'FAILED',
          reason: { code: 'APPROVAL_REJECTED', message: expect.any(String) },
        });
        expect(final).not.toHaveProperty('financialTransactionId');
        expect(await partner.balance()).toEqual(before);
      });

      it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST and keeps the first request', async () => {
        const first = await withdraw(requestToPayBody({ amount: '10' }));
        const second = await withdraw(requestToPayBody({ amount: '99' }), { referenceId: first.referenceId });
        expect(second.status).toBe(409);
        expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
        expect((await client.get(`${path}/${first.referenceId}`)).body).toMatchObject({ amount: '10' });
      });

      it("answers 404 for another API user's request to withdraw, as if it did not exist", async () => {
        const other = await CollectionClient.create(server.baseUrl);
        const created = await withdraw(requestToPayBody());
        const response = await other.get(`${path}/${created.referenceId}`);
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
      });
    });
  });

  describe('delivery notification', () => {
    function notify(referenceId: string, message: { header?: string; body?: unknown }) {
      return http(
        server.baseUrl,
        'POST',
        `/collection/v1_0/requesttopay/${referenceId}/deliverynotification`,
        {
          headers: client.headers({
            ...(message.header === undefined ? {} : { notificationMessage: message.header }),
            ...(message.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          }),
          body: message.body,
        },
      );
    }

    async function finishedRequest(payer = '46733123499'): Promise<string> {
      const created = await client.requestToPay(requestToPayBody(payerParty(payer)));
      await client.waitForFinalStatus(created.referenceId);
      return created.referenceId;
    }

    it('answers 200 for a SUCCESSFUL request with the message in the notificationMessage header only', async () => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, { header: 'Your order 17 is on its way' });
      expect(response.status).toBe(200);
    });

    it('answers 200 for a SUCCESSFUL request with the message in the body', async () => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, {
        body: { notificationMessage: 'Your order 17 is on its way' },
      });
      expect(response.status).toBe(200);
    });

    it('answers 200 for a SUCCESSFUL request with the message in the header beside an empty JSON body', async () => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, { header: 'Your order 17 is on its way', body: {} });
      expect(response.status).toBe(200);
    });

    it('accepts a message of exactly 160 characters', async () => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, { body: { notificationMessage: 'x'.repeat(160) } });
      expect(response.status).toBe(200);
    });

    it('answers 409 NOT_SUCCESSFULLY_COMPLETED for a FAILED request', async () => {
      const referenceId = await finishedRequest('46733123451');
      const response = await notify(referenceId, { body: { notificationMessage: 'Delivered' } });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ code: 'NOT_SUCCESSFULLY_COMPLETED', message: expect.any(String) });
    });

    it('answers 409 NOT_SUCCESSFULLY_COMPLETED for a request still PENDING', async () => {
      const created = await client.requestToPay(requestToPayBody(payerParty('46733123453')));
      await sleep(100);
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      const response = await notify(created.referenceId, { body: { notificationMessage: 'Delivered' } });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'NOT_SUCCESSFULLY_COMPLETED' });
    });

    it('answers 404 RESOURCE_NOT_FOUND for a request nobody made', async () => {
      const response = await notify(randomUUID(), { body: { notificationMessage: 'Delivered' } });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it("answers 404 for another API user's request", async () => {
      const other = await CollectionClient.create(server.baseUrl);
      const created = await other.requestToPay(requestToPayBody());
      await other.waitForFinalStatus(created.referenceId);
      const response = await notify(created.referenceId, { body: { notificationMessage: 'Delivered' } });
      expect(response.status).toBe(404);
    });

    it.each([
      ['no header and no body', {}],
      ['an empty JSON body', { body: {} }],
      ['a blank message', { body: { notificationMessage: '   ' } }],
    ])('answers 400 when the message is missing: %s', async (_name, message) => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, message);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it.each([
      // With an empty JSON body beside it, so that only the header's length can be what is refused.
      ['header', { header: 'x'.repeat(161), body: {} }],
      ['body', { body: { notificationMessage: 'x'.repeat(161) } }],
    ])('answers 400 for a message over 160 characters in the %s', async (_where, message) => {
      const referenceId = await finishedRequest();
      const response = await notify(referenceId, message);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
    });
  });

  describe('account holder under /collection', () => {
    it('answers active true for an ordinary sandbox number', async () => {
      const response = await client.get(`/v1_0/accountholder/msisdn/${uniqueMsisdn()}/active`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: true });
    });

    it('answers active false for 46733123461, the number nobody has', async () => {
      const response = await client.get('/v1_0/accountholder/msisdn/46733123461/active');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: false });
    });

    it('answers active false for a BLOCKED account holder', async () => {
      const msisdn = uniqueMsisdn();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, { status: 'BLOCKED' });
      const response = await client.get(`/v1_0/accountholder/msisdn/${msisdn}/active`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ result: false });
    });

    it('answers basicuserinfo with the names, birthdate, locale and gender the operator set', async () => {
      const msisdn = uniqueMsisdn();
      const put = await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, {
        givenName: 'Amara',
        familyName: 'Okello',
        birthdate: '1990-04-17',
        locale: 'sv_SE',
        gender: 'FEMALE',
      });
      expect(put.status).toBe(200);
      const response = await client.get(`/v1_0/accountholder/msisdn/${msisdn}/basicuserinfo`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        given_name: 'Amara',
        family_name: 'Okello',
        birthdate: '1990-04-17',
        locale: 'sv_SE',
        gender: 'FEMALE',
        status: 'ACTIVE',
      });
    });

    it('answers basicuserinfo 404 RESOURCE_NOT_FOUND for 46733123461', async () => {
      const response = await client.get('/v1_0/accountholder/msisdn/46733123461/basicuserinfo');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ code: 'RESOURCE_NOT_FOUND', message: expect.any(String) });
    });
  });
});
