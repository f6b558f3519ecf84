/**
 * Collection v2_0, end to end: request to withdraw as each version sees the other's (its own spec runs at
 * both versions in v1_0.e2e.test.ts), pre-approval (seed 000), invoice and payment, with interactive payers
 * answering on the operator API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from '../support/admin-client.js';
import { type CallbackReceiver, callbackAt, startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import {
  CollectionClient,
  DUPLICATE_REFERENCE_ID,
  http,
  requestToPayBody,
  sleep,
} from '../support/momo-client.js';
import { msisdnParty, uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface PendingPrompt {
  transactionId: string;
  kind: string;
  amount?: string;
  status: string;
}

/** An account holder who answers every request on the operator API. */
async function interactivePayer(server: TestServer): Promise<string> {
  const msisdn = uniqueMsisdn();
  const response = await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, {
    approvalMode: 'INTERACTIVE',
  });
  expect(response.status).toBe(200);
  return msisdn;
}

async function promptsFor(server: TestServer, msisdn: string): Promise<PendingPrompt[]> {
  const pending = await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${msisdn}/pending`);
  expect(pending.status).toBe(200);
  return pending.body as PendingPrompt[];
}

async function onlyPromptFor(server: TestServer, msisdn: string): Promise<PendingPrompt> {
  const prompts = await promptsFor(server, msisdn);
  expect(prompts).toHaveLength(1);
  return prompts[0] as PendingPrompt;
}

function preapprovalBody(payer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    payer: msisdnParty(payer),
    payerCurrency: 'EUR',
    payerMessage: 'Allow Shop 17 to charge you',
    validityTime: 3600,
    ...overrides,
  };
}

/** Request to withdraw is one resource served at v1_0 and v2_0; v1_0.e2e.test.ts runs its spec at both. */
const REQUEST_TO_WITHDRAW_VERSIONS = [
  ['/v1_0/requesttowithdraw', '/v2_0/requesttowithdraw'],
  ['/v2_0/requesttowithdraw', '/v1_0/requesttowithdraw'],
] as const;

describe.each(ENGINES)('collection v2_0 on %s', (engine) => {
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

  describe('request to withdraw across v1_0 and v2_0', () => {
    it.each(REQUEST_TO_WITHDRAW_VERSIONS)(
      'reads a request to withdraw made at %s with the same body at %s',
      async (madeAt, readAt) => {
        const created = await client.create(madeAt, requestToPayBody({ amount: '8' }));
        const final = await client.waitForFinal(madeAt, created.referenceId);
        const response = await client.get(`${readAt}/${created.referenceId}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(final);
      },
    );

    it.each(REQUEST_TO_WITHDRAW_VERSIONS)(
      'answers a reference id used at %s with 409 RESOURCE_ALREADY_EXIST at %s and keeps the first request',
      async (firstAt, secondAt) => {
        const first = await client.create(firstAt, requestToPayBody({ amount: '10' }));
        const second = await client.create(secondAt, requestToPayBody({ amount: '99' }), {
          referenceId: first.referenceId,
        });
        expect(second.status).toBe(409);
        expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
        expect((await client.get(`${secondAt}/${first.referenceId}`)).body).toMatchObject({ amount: '10' });
      },
    );
  });

  describe('pre-approval', () => {
    const getPreapproval = (referenceId: string, by: CollectionClient = client) =>
      by.get(`/v2_0/preapproval/${referenceId}`);

    /** Creates a pre-approval for `payer` and has the payer answer it; returns when the answer was given. */
    async function answeredPreapproval(
      payer: string,
      answer: 'approve' | 'reject',
      overrides: Record<string, unknown> = {},
      by: CollectionClient = client,
    ): Promise<{ referenceId: string; answeredFromMs: number; answeredToMs: number }> {
      const created = await by.create('/v2_0/preapproval', preapprovalBody(payer, overrides));
      expect(created.status).toBe(202);
      const prompt = await onlyPromptFor(server, payer);
      const answeredFromMs = Date.now();
      const answered = await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/${answer}`);
      const answeredToMs = Date.now();
      expect(answered.status).toBe(200);
      return { referenceId: created.referenceId, answeredFromMs, answeredToMs };
    }

    it('accepts with 202 and an empty body', async () => {
      const created = await client.create(
        '/v2_0/preapproval',
        preapprovalBody(await interactivePayer(server)),
      );
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
    });

    it("keeps an interactive payer's pre-approval PENDING and lists it as a prompt", async () => {
      const payer = await interactivePayer(server);
      const created = await client.create('/v2_0/preapproval', preapprovalBody(payer));
      await sleep(100);
      const status = await getPreapproval(created.referenceId);
      expect(status.status).toBe(200);
      expect(status.body).toEqual({
        payer: msisdnParty(payer),
        payerCurrency: 'EUR',
        payerMessage: 'Allow Shop 17 to charge you',
        status: 'PENDING',
      });
      expect(await onlyPromptFor(server, payer)).toMatchObject({ kind: 'PREAPPROVAL', status: 'PENDING' });
    });

    it('ends SUCCESSFUL once the payer approves, expiring validityTime seconds after the approval', async () => {
      const payer = await interactivePayer(server);
      const { referenceId, answeredFromMs, answeredToMs } = await answeredPreapproval(payer, 'approve', {
        validityTime: 600,
      });
      const status = await getPreapproval(referenceId);
      expect(status.body).toEqual({
        payer: msisdnParty(payer),
        payerCurrency: 'EUR',
        payerMessage: 'Allow Shop 17 to charge you',
        status: 'SUCCESSFUL',
        expirationDateTime: expect.any(String),
      });
      const expiresAtMs = Date.parse((status.body as { expirationDateTime: string }).expirationDateTime);
      expect(expiresAtMs).toBeGreaterThanOrEqual(answeredFromMs + 600_000);
      expect(expiresAtMs).toBeLessThanOrEqual(answeredToMs + 600_000);
    });

    it('is valid for a year once approved when validityTime is left out (the seed does not require it)', async () => {
      const payer = await interactivePayer(server);
      const { referenceId, answeredFromMs, answeredToMs } = await answeredPreapproval(payer, 'approve', {
        validityTime: undefined,
      });
      const status = await getPreapproval(referenceId);
      expect(status.body).toMatchObject({ status: 'SUCCESSFUL' });
      const expiresAtMs = Date.parse((status.body as { expirationDateTime: string }).expirationDateTime);
      expect(expiresAtMs).toBeGreaterThanOrEqual(answeredFromMs + 365 * 86_400_000);
      expect(expiresAtMs).toBeLessThanOrEqual(answeredToMs + 365 * 86_400_000);
    });

    it('lets a request to pay from the same partner through to the payer without a prompt', async () => {
      const payer = await interactivePayer(server);
      await answeredPreapproval(payer, 'approve');
      const created = await client.requestToPay(
        requestToPayBody({ amount: '35', payer: msisdnParty(payer) }),
      );
      expect(await promptsFor(server, payer)).toEqual([]);
      expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    });

    it("moves the money of a pre-approved request to pay into the partner's collection account", async () => {
      const payer = await interactivePayer(server);
      const partner = await CollectionClient.create(server.baseUrl);
      await answeredPreapproval(payer, 'approve', {}, partner);
      const before = await partner.balance();
      const created = await partner.requestToPay(
        requestToPayBody({ amount: '35', payer: msisdnParty(payer) }),
      );
      expect(await partner.waitForFinalStatus(created.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
      const after = await partner.balance();
      expect(Number(after.availableBalance) - Number(before.availableBalance)).toBeCloseTo(35, 2);
    });

    it("still prompts the payer for another partner's request to pay", async () => {
      const payer = await interactivePayer(server);
      await answeredPreapproval(payer, 'approve');
      const other = await CollectionClient.create(server.baseUrl);
      const created = await other.requestToPay(requestToPayBody({ amount: '21', payer: msisdnParty(payer) }));
      await sleep(100);
      expect((await other.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      expect(await onlyPromptFor(server, payer)).toMatchObject({
        kind: 'REQUEST_TO_PAY',
        amount: '21',
        status: 'PENDING',
      });
    });

    it('ends FAILED with APPROVAL_REJECTED when the payer rejects it', async () => {
      const payer = await interactivePayer(server);
      const { referenceId } = await answeredPreapproval(payer, 'reject');
      const status = await getPreapproval(referenceId);
      expect(status.body).toMatchObject({
        status: 'FAILED',
        reason: { code: 'APPROVAL_REJECTED', message: expect.any(String) },
      });
      expect(status.body).not.toHaveProperty('expirationDateTime');
    });

    it('keeps prompting for later requests to pay after a rejected pre-approval', async () => {
      const payer = await interactivePayer(server);
      await answeredPreapproval(payer, 'reject');
      const created = await client.requestToPay(
        requestToPayBody({ amount: '12', payer: msisdnParty(payer) }),
      );
      await sleep(100);
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      expect(await onlyPromptFor(server, payer)).toMatchObject({ kind: 'REQUEST_TO_PAY', amount: '12' });
    });

    it('stops skipping the prompt once the pre-approval has expired', async () => {
      const payer = await interactivePayer(server);
      await answeredPreapproval(payer, 'approve', { validityTime: 1 });
      await sleep(1500);
      const created = await client.requestToPay(
        requestToPayBody({ amount: '13', payer: msisdnParty(payer) }),
      );
      await sleep(100);
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      expect(await onlyPromptFor(server, payer)).toMatchObject({ kind: 'REQUEST_TO_PAY', amount: '13' });
    });

    it.each([
      ['a payerCurrency the sandbox does not allow', { payerCurrency: 'UGX' }, 'INVALID_CURRENCY'],
      ['an unknown payerCurrency', { payerCurrency: 'XYZ' }, 'INVALID_CURRENCY'],
      ['a validityTime beyond a century', { validityTime: 3_153_600_001 }, 'BAD_REQUEST'],
      ['a validityTime whose end no database can store', { validityTime: 1e20 }, 'BAD_REQUEST'],
      ['a validityTime of 0', { validityTime: 0 }, 'BAD_REQUEST'],
      ['a negative validityTime', { validityTime: -5 }, 'BAD_REQUEST'],
      ['no payer', { payer: undefined }, 'BAD_REQUEST'],
    ])('refuses %s with 400 and writes nothing', async (_name, overrides, code) => {
      const created = await client.create('/v2_0/preapproval', preapprovalBody(uniqueMsisdn(), overrides));
      expect(created.status).toBe(400);
      expect(created.body).toEqual({ code, message: expect.any(String) });
      expect((await getPreapproval(created.referenceId)).status).toBe(404);
    });

    it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST', async () => {
      const first = await client.create('/v2_0/preapproval', preapprovalBody(await interactivePayer(server)));
      const second = await client.create('/v2_0/preapproval', preapprovalBody(uniqueMsisdn()), {
        referenceId: first.referenceId,
      });
      expect(second.status).toBe(409);
      expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
    });

    it("answers 404 for another API user's pre-approval", async () => {
      const other = await CollectionClient.create(server.baseUrl);
      const created = await client.create(
        '/v2_0/preapproval',
        preapprovalBody(await interactivePayer(server)),
      );
      const response = await getPreapproval(created.referenceId, other);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });
  });

  describe('pre-approvals of a payer: list and cancel (decision 0020)', () => {
    const listFor = (payer: string, by: CollectionClient = client, idType = 'msisdn') =>
      by.get(`/v1_0/preapprovals/${idType}/${payer}`);
    const cancelAtV1 = (referenceId: string, by: CollectionClient = client) =>
      http(server.baseUrl, 'DELETE', `/collection/v1_0/preapprovals/${referenceId}`, {
        headers: by.headers(),
      });
    const cancelAtV2 = (referenceId: string, by: CollectionClient = client) =>
      http(server.baseUrl, 'DELETE', `/collection/v2_0/preapproval/${referenceId}`, {
        headers: by.headers(),
      });

    /** A pre-approval of `payer` answered `answer` on the operator API; its X-Reference-Id. */
    async function preapproval(
      payer: string,
      answer: 'approve' | 'reject' | 'none',
      options: { overrides?: Record<string, unknown>; by?: CollectionClient; callbackUrl?: string } = {},
    ): Promise<string> {
      const by = options.by ?? client;
      const created = await by.create(
        '/v2_0/preapproval',
        preapprovalBody(payer, options.overrides),
        options.callbackUrl === undefined ? {} : { callbackUrl: options.callbackUrl },
      );
      expect(created.status).toBe(202);
      const prompt = await onlyPromptFor(server, payer);
      if (answer !== 'none') {
        const answered = await admin(
          server.baseUrl,
          'POST',
          `/transactions/${prompt.transactionId}/${answer}`,
        );
        expect(answered.status).toBe(200);
      }
      return created.referenceId;
    }

    it('lists an approved pre-approval with its id, parties, currency, message, times and status', async () => {
      const payer = await interactivePayer(server);
      const createdFromMs = Date.now();
      const referenceId = await preapproval(payer, 'approve', { overrides: { validityTime: 600 } });
      const listed = await listFor(payer);
      expect(listed.status).toBe(200);
      const apiUsers = (await admin(server.baseUrl, 'GET', '/api-users')).body as {
        id: string;
        partnerId: string;
      }[];
      const partnerId = apiUsers.find((apiUser) => apiUser.id === client.credentials.apiUserId)?.partnerId;
      expect(listed.body).toEqual({
        preApprovalDetails: [
          {
            preApprovalId: referenceId,
            toFri: `FRI:${partnerId}/USER`,
            fromFri: `FRI:${payer}/MSISDN`,
            fromCurrency: 'EUR',
            createdTime: expect.any(String),
            approvedTime: expect.any(String),
            expiryTime: expect.any(String),
            status: 'SUCCESSFUL',
            message: 'Allow Shop 17 to charge you',
          },
        ],
      });
      const [details] = (listed.body as { preApprovalDetails: Record<string, string>[] }).preApprovalDetails;
      const createdMs = Date.parse(details?.createdTime ?? '');
      const approvedMs = Date.parse(details?.approvedTime ?? '');
      expect(createdMs).toBeGreaterThanOrEqual(createdFromMs - 1000);
      expect(approvedMs).toBeGreaterThanOrEqual(createdMs);
      expect(Date.parse(details?.expiryTime ?? '')).toBe(approvedMs + 600_000);
    });

    it('reads the id type in any case', async () => {
      const payer = await interactivePayer(server);
      const referenceId = await preapproval(payer, 'approve');
      const listed = await listFor(payer, client, 'MSISDN');
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ preApprovalDetails: [{ preApprovalId: referenceId }] });
    });

    it.each([
      ['one the payer has not answered', 'none'],
      ['a rejected one', 'reject'],
    ] as const)('leaves out %s', async (_name, answer) => {
      const payer = await interactivePayer(server);
      await preapproval(payer, answer);
      expect((await listFor(payer)).body).toEqual({ preApprovalDetails: [] });
    });

    it('leaves out an expired one', async () => {
      const payer = await interactivePayer(server);
      await preapproval(payer, 'approve', { overrides: { validityTime: 1 } });
      await sleep(1100);
      expect((await listFor(payer)).body).toEqual({ preApprovalDetails: [] });
    });

    it("leaves out another API user's pre-approval of the same payer", async () => {
      const payer = await interactivePayer(server);
      const other = await CollectionClient.create(server.baseUrl);
      await preapproval(payer, 'approve', { by: other });
      expect((await listFor(payer)).body).toEqual({ preApprovalDetails: [] });
    });

    it('refuses an unknown id type with 400 BAD_REQUEST', async () => {
      const listed = await listFor('46733123450', client, 'iban');
      expect(listed.status).toBe(400);
      expect(listed.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) });
    });

    it.each([
      ['v1_0/preapprovals', cancelAtV1],
      ['v2_0/preapproval', cancelAtV2],
    ])(
      'cancels an approved pre-approval at %s: it reads FAILED, TRANSACTION_CANCELED, and leaves the list',
      async (_path, cancel) => {
        const payer = await interactivePayer(server);
        const referenceId = await preapproval(payer, 'approve');
        const cancelled = await cancel(referenceId);
        expect(cancelled.status).toBe(200);
        expect(cancelled.text).toBe('');
        expect((await client.get(`/v2_0/preapproval/${referenceId}`)).body).toMatchObject({
          status: 'FAILED',
          reason: { code: 'TRANSACTION_CANCELED' },
        });
        expect((await listFor(payer)).body).toEqual({ preApprovalDetails: [] });
      },
    );

    it('prompts the payer again for a request to pay once the pre-approval is cancelled', async () => {
      const payer = await interactivePayer(server);
      const referenceId = await preapproval(payer, 'approve');
      expect((await cancelAtV1(referenceId)).status).toBe(200);
      const created = await client.requestToPay(
        requestToPayBody({ amount: '14', payer: msisdnParty(payer) }),
      );
      await sleep(100);
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      expect(await onlyPromptFor(server, payer)).toMatchObject({ kind: 'REQUEST_TO_PAY', amount: '14' });
    });

    it("takes a pending pre-approval off the payer's prompts and calls back with FAILED", async () => {
      const payer = await interactivePayer(server);
      const path = `/preapproval/${randomUUID()}`;
      const referenceId = await preapproval(payer, 'none', { callbackUrl: receiver.url(path) });
      expect((await cancelAtV1(referenceId)).status).toBe(200);
      expect(await promptsFor(server, payer)).toEqual([]);
      const callback = await callbackAt(receiver, path);
      expect(callback.body).toMatchObject({ status: 'FAILED', reason: { code: 'TRANSACTION_CANCELED' } });
      expect(callback.body).toEqual((await client.get(`/v2_0/preapproval/${referenceId}`)).body);
    });

    it.each([
      ['a rejected', 'reject'],
      ['an already cancelled', 'cancel'],
    ] as const)('refuses to cancel %s pre-approval with 403 NOT_ALLOWED', async (_name, before) => {
      const payer = await interactivePayer(server);
      const referenceId = await preapproval(payer, before === 'reject' ? 'reject' : 'approve');
      if (before === 'cancel') {
        expect((await cancelAtV1(referenceId)).status).toBe(200);
      }
      const refused = await cancelAtV1(referenceId);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ code: 'NOT_ALLOWED', message: expect.any(String) });
    });

    it('refuses to cancel an expired pre-approval with 403 NOT_ALLOWED', async () => {
      const payer = await interactivePayer(server);
      const referenceId = await preapproval(payer, 'approve', { overrides: { validityTime: 1 } });
      await sleep(1100);
      const refused = await cancelAtV1(referenceId);
      expect(refused.status).toBe(403);
      expect((await client.get(`/v2_0/preapproval/${referenceId}`)).body).toMatchObject({
        status: 'SUCCESSFUL',
      });
    });

    it("answers 404 to a cancel of another API user's pre-approval and leaves it in force", async () => {
      const payer = await interactivePayer(server);
      const referenceId = await preapproval(payer, 'approve');
      const other = await CollectionClient.create(server.baseUrl);
      const refused = await cancelAtV1(referenceId, other);
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
      expect((await listFor(payer)).body).toMatchObject({
        preApprovalDetails: [{ preApprovalId: referenceId }],
      });
    });

    it('refuses a cancel whose id is not a UUID with 400 BAD_REQUEST', async () => {
      const refused = await cancelAtV1('not-a-uuid');
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) });
    });
  });

  describe('invoice', () => {
    function invoiceBody(payer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        externalId: 'INV-17',
        amount: '300',
        currency: 'EUR',
        validityDuration: '3600',
        intendedPayer: msisdnParty(payer),
        payee: msisdnParty('46733123499'),
        description: 'Invoice for order 17',
        ...overrides,
      };
    }

    const createInvoice = (
      body: unknown,
      options: { referenceId?: string; callbackUrl?: string } = {},
      by: CollectionClient = client,
    ) => by.create('/v2_0/invoice', body, options);

    const getInvoice = (referenceId: string) => client.get(`/v2_0/invoice/${referenceId}`);

    function cancelInvoice(referenceId: string) {
      return http(server.baseUrl, 'DELETE', `/collection/v2_0/invoice/${referenceId}`, {
        headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
        body: { externalId: 'INV-17' },
      });
    }

    it('accepts with 202 and an empty body', async () => {
      const created = await createInvoice(invoiceBody(await interactivePayer(server)));
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
    });

    it('reads back the InvoiceResult fields, expiring validityDuration seconds after creation', async () => {
      const payer = await interactivePayer(server);
      const fromMs = Date.now();
      const created = await createInvoice(invoiceBody(payer));
      const toMs = Date.now();
      const status = await getInvoice(created.referenceId);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        referenceId: created.referenceId,
        externalId: 'INV-17',
        amount: '300',
        currency: 'EUR',
        status: 'PENDING',
        invoiceId: expect.any(String),
        paymentReference: expect.stringMatching(/^\d+$/),
        expiryDateTime: expect.any(String),
        intendedPayer: msisdnParty(payer),
        description: 'Invoice for order 17',
      });
      const expiresAtMs = Date.parse((status.body as { expiryDateTime: string }).expiryDateTime);
      expect(expiresAtMs).toBeGreaterThanOrEqual(fromMs + 3_600_000);
      expect(expiresAtMs).toBeLessThanOrEqual(toMs + 3_600_000);
    });

    it("names its payee as the payee's profile does (payeeFirstName, payeeLastName)", async () => {
      const payee = uniqueMsisdn();
      const registered = await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payee}`, {
        givenName: 'Ama',
        familyName: 'Mensah',
      });
      expect(registered.status).toBe(200);

      const created = await createInvoice(
        invoiceBody(await interactivePayer(server), { payee: msisdnParty(payee) }),
      );

      expect((await getInvoice(created.referenceId)).body).toMatchObject({
        payeeFirstName: 'Ama',
        payeeLastName: 'Mensah',
      });
    });

    it('names a payee nobody registered as the sandbox names any number (Sandbox User)', async () => {
      const created = await createInvoice(
        invoiceBody(await interactivePayer(server), { payee: msisdnParty(uniqueMsisdn()) }),
      );

      expect((await getInvoice(created.referenceId)).body).toMatchObject({
        payeeFirstName: 'Sandbox',
        payeeLastName: 'User',
      });
    });

    it("is paid by an ordinary payer on its own, moving the money to the partner's collection account", async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      const before = await partner.balance();
      const created = await createInvoice(invoiceBody(uniqueMsisdn(), { amount: '75.25' }), {}, partner);
      const final = await partner.waitForFinal('/v2_0/invoice', created.referenceId);
      expect(final).toMatchObject({ status: 'SUCCESSFUL', amount: '75.25' });
      expect(final).not.toHaveProperty('errorReason');
      const after = await partner.balance();
      expect(Number(after.availableBalance) - Number(before.availableBalance)).toBeCloseTo(75.25, 2);
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it("stays PENDING for an interactive payer and is listed as the payer's prompt", async () => {
      const payer = await interactivePayer(server);
      const created = await createInvoice(invoiceBody(payer, { amount: '44' }));
      await sleep(100);
      expect((await getInvoice(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
      expect(await onlyPromptFor(server, payer)).toMatchObject({ kind: 'INVOICE', status: 'PENDING' });
    });

    it('cancels a pending invoice with DELETE and a new X-Reference-Id: 200, then GET reads CANCELLED', async () => {
      const payer = await interactivePayer(server);
      const created = await createInvoice(invoiceBody(payer));
      const cancelled = await cancelInvoice(created.referenceId);
      expect(cancelled.status).toBe(200);
      expect((await getInvoice(created.referenceId)).body).toMatchObject({
        referenceId: created.referenceId,
        status: 'CANCELLED',
      });
    });

    it("takes a cancelled invoice off the payer's prompts", async () => {
      const payer = await interactivePayer(server);
      const created = await createInvoice(invoiceBody(payer));
      await onlyPromptFor(server, payer);
      await cancelInvoice(created.referenceId);
      expect(await promptsFor(server, payer)).toEqual([]);
    });

    it('calls back with PUT and the CANCELLED status when the cancelled invoice named an X-Callback-Url', async () => {
      const payer = await interactivePayer(server);
      const path = `/invoice/${randomUUID()}`;
      const created = await createInvoice(invoiceBody(payer), { callbackUrl: receiver.url(path) });
      expect((await cancelInvoice(created.referenceId)).status).toBe(200);
      const callback = await callbackAt(receiver, path);
      expect(callback.method).toBe('PUT');
      expect(callback.body).toMatchObject({
        referenceId: created.referenceId,
        status: 'CANCELLED',
        payeeFirstName: 'Sandbox',
      });
      expect(callback.body).toEqual((await getInvoice(created.referenceId)).body);
    });

    it('refuses to cancel a paid invoice with 403 NOT_ALLOWED and keeps it SUCCESSFUL', async () => {
      const created = await createInvoice(invoiceBody(uniqueMsisdn()));
      expect(await client.waitForFinal('/v2_0/invoice', created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
      const refused = await cancelInvoice(created.referenceId);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'NOT_ALLOWED' });
      expect((await getInvoice(created.referenceId)).body).toMatchObject({ status: 'SUCCESSFUL' });
    });

    it('answers DELETE of an invoice nobody created with 404 RESOURCE_NOT_FOUND', async () => {
      const response = await cancelInvoice(randomUUID());
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it.each([
      ['a validityDuration that is not a number', { validityDuration: 'abc' }, 'BAD_REQUEST'],
      ['a validityDuration of 0 seconds', { validityDuration: '0' }, 'BAD_REQUEST'],
      ['a currency the sandbox does not allow', { currency: 'UGX' }, 'INVALID_CURRENCY'],
      ['no intendedPayer', { intendedPayer: undefined }, 'BAD_REQUEST'],
    ])('refuses %s with 400 and writes nothing', async (_name, overrides, code) => {
      const created = await createInvoice(invoiceBody(uniqueMsisdn(), overrides));
      expect(created.status).toBe(400);
      expect(created.body).toEqual({ code, message: expect.any(String) });
      expect((await getInvoice(created.referenceId)).status).toBe(404);
    });
  });

  describe('payment', () => {
    function paymentBody(customer: string, amount = '120'): Record<string, unknown> {
      return {
        externalTransactionId: 'PAY-17',
        money: { amount, currency: 'EUR' },
        customerReference: customer,
        serviceProviderUserName: 'shop-17',
      };
    }

    const pay = (body: unknown, by: CollectionClient = client) => by.create('/v2_0/payment', body);

    it('accepts with 202 and an empty body', async () => {
      const created = await pay(paymentBody(uniqueMsisdn()));
      expect(created.status).toBe(202);
      expect(created.text).toBe('');
    });

    it('ends SUCCESSFUL, read back as referenceId, status and financialTransactionId', async () => {
      const created = await pay(paymentBody(uniqueMsisdn()));
      const final = await client.waitForFinal('/v2_0/payment', created.referenceId);
      expect(final).toEqual({
        referenceId: created.referenceId,
        status: 'SUCCESSFUL',
        financialTransactionId: expect.stringMatching(/^\d{9,}$/),
      });
    });

    it("moves the money from the customer's wallet to the partner's collection account", async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      const before = await partner.balance();
      const created = await pay(paymentBody(uniqueMsisdn(), '64.10'), partner);
      expect(await partner.waitForFinal('/v2_0/payment', created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
      const after = await partner.balance();
      expect(Number(after.availableBalance) - Number(before.availableBalance)).toBeCloseTo(64.1, 2);
      expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
    });

    it('ends FAILED with NOT_ENOUGH_FUNDS for customer 46733123460, moving no money', async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      const before = await partner.balance();
      const created = await pay(paymentBody('46733123460'), partner);
      expect(created.status).toBe(202);
      const final = await partner.waitForFinal('/v2_0/payment', created.referenceId);
      expect(final).toEqual({
        referenceId: created.referenceId,
        status: 'FAILED',
        reason: { code: 'NOT_ENOUGH_FUNDS', message: expect.any(String) },
      });
      expect(await partner.balance()).toEqual(before);
    });

    it('keeps an interactive customer without a pre-approval PENDING and prompts them', async () => {
      const customer = await interactivePayer(server);
      const created = await pay(paymentBody(customer, '17'));
      await sleep(100);
      expect((await client.get(`/v2_0/payment/${created.referenceId}`)).body).toMatchObject({
        status: 'PENDING',
      });
      expect(await onlyPromptFor(server, customer)).toMatchObject({ kind: 'PAYMENT', status: 'PENDING' });
    });

    it('goes through without a prompt for a customer who pre-approved the partner', async () => {
      const customer = await interactivePayer(server);
      const preapproval = await client.create('/v2_0/preapproval', preapprovalBody(customer));
      const prompt = await onlyPromptFor(server, customer);
      expect(
        (await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`)).status,
      ).toBe(200);
      expect((await client.get(`/v2_0/preapproval/${preapproval.referenceId}`)).body).toMatchObject({
        status: 'SUCCESSFUL',
      });
      const created = await pay(paymentBody(customer, '18'));
      expect(await promptsFor(server, customer)).toEqual([]);
      expect(await client.waitForFinal('/v2_0/payment', created.referenceId)).toMatchObject({
        status: 'SUCCESSFUL',
      });
    });

    it('answers a repeated X-Reference-Id with 409 RESOURCE_ALREADY_EXIST', async () => {
      const first = await pay(paymentBody(uniqueMsisdn()));
      const second = await client.create('/v2_0/payment', paymentBody(uniqueMsisdn()), {
        referenceId: first.referenceId,
      });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST' });
    });

    it('refuses a customerReference that is not an MSISDN with 400', async () => {
      const created = await pay(paymentBody('+46733123499'));
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'BAD_REQUEST' });
    });
  });
});
