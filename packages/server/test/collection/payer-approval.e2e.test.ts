/** A payer who answers in person: the operator API lists the prompts, and approves or rejects with the PIN. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger, postingsOf } from '../support/admin-client.js';
import { type CallbackReceiver, callbackAt, startCallbackReceiver } from '../support/callback-receiver.js';
import { ENGINES } from '../support/engines.js';
import { CollectionClient, requestToPayBody, sleep } from '../support/momo-client.js';
import { ManualClock, startTestServer, type TestServer } from '../support/test-server.js';

const APPROVAL_TIMEOUT_MS = 1500;
let nextPayer = 0;
const newPayer = () => `2567700${String(Date.now() % 100_000).padStart(5, '0')}${nextPayer++}`.slice(0, 15);

interface PendingPrompt {
  transactionId: string;
  amount: string;
  status: string;
}

describe.each(ENGINES)('interactive payer on %s', (engine) => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: CollectionClient;

  beforeAll(async () => {
    server = await startTestServer(engine, { config: { approvalTimeoutMs: APPROVAL_TIMEOUT_MS } });
    receiver = await startCallbackReceiver();
    client = await CollectionClient.create(server.baseUrl);
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  async function interactivePayer(pin?: string): Promise<string> {
    const msisdn = newPayer();
    const response = await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, {
      approvalMode: 'INTERACTIVE',
      ...(pin === undefined ? {} : { pin }),
    });
    expect(response.status).toBe(200);
    await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${msisdn}/fund`, {
      amount: '1000',
      currency: 'EUR',
    });
    return msisdn;
  }

  async function promptFor(msisdn: string): Promise<PendingPrompt> {
    const pending = await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${msisdn}/pending`);
    const [prompt] = pending.body as PendingPrompt[];
    if (prompt === undefined) {
      throw new Error(`no pending prompt for ${msisdn}`);
    }
    return prompt;
  }

  it('keeps the request PENDING and lists it as a prompt for the payer', async () => {
    const msisdn = await interactivePayer();
    const created = await client.requestToPay(
      requestToPayBody({ amount: '15', payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    await sleep(100);
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
    expect(await promptFor(msisdn)).toMatchObject({ amount: '15', status: 'PENDING' });
  });

  it('moves the money and calls back when the payer approves with the right PIN', async () => {
    const msisdn = await interactivePayer('2468');
    const before = await client.balance();
    const created = await client.requestToPay(
      requestToPayBody({ amount: '40', payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
      {
        callbackUrl: receiver.url(`/approved/${msisdn}`),
      },
    );
    const prompt = await promptFor(msisdn);
    const approved = await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`, {
      pin: '2468',
    });
    expect(approved.status).toBe(200);
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'SUCCESSFUL' });
    expect(Number((await client.balance()).availableBalance) - Number(before.availableBalance)).toBe(40);
    expect((await callbackAt(receiver, `/approved/${msisdn}`)).body).toMatchObject({
      status: 'SUCCESSFUL',
    });
  });

  it('refuses a wrong PIN with 403 NOT_ALLOWED and leaves the request pending', async () => {
    const msisdn = await interactivePayer('2468');
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const refused = await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`, {
      pin: '0000',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'NOT_ALLOWED' });
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'PENDING' });
  });

  it('says how many tries are left after a wrong PIN, and still takes the right one', async () => {
    const msisdn = await interactivePayer('2468');
    const created = await client.requestToPay(
      requestToPayBody({ amount: '5', payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const approve = (pin: string) =>
      admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`, { pin });
    expect((await approve('0000')).body).toMatchObject({ message: expect.stringContaining('2 tries left') });
    expect((await approve('1111')).body).toMatchObject({ message: expect.stringContaining('1 try left') });
    expect((await approve('2468')).status).toBe(200);
    expect((await client.waitForFinalStatus(created.referenceId)).status).toBe('SUCCESSFUL');
  });

  it('fails the request with APPROVAL_REJECTED and calls back at the third wrong PIN', async () => {
    const msisdn = await interactivePayer('2468');
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
      { callbackUrl: receiver.url(`/wrong-pins/${msisdn}`) },
    );
    const prompt = await promptFor(msisdn);
    const approve = (pin: string) =>
      admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`, { pin });
    await approve('0000');
    await approve('1111');
    const third = await approve('2222');
    expect(third.status).toBe(403);
    expect(third.body).toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('FAILED') });
    expect((await approve('2468')).body).toMatchObject({ code: 'TRANSACTION_NOT_COMPLETED' });
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({
      status: 'FAILED',
      reason: { code: 'APPROVAL_REJECTED' },
    });
    expect((await callbackAt(receiver, `/wrong-pins/${msisdn}`)).body).toMatchObject({ status: 'FAILED' });
    expect(await postingsOf(server.baseUrl, client, created.referenceId)).toHaveLength(0);
  });

  it('gives wrong PINs sent at the same moment no more tries than the limit', async () => {
    const msisdn = await interactivePayer('2468');
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const answers = await Promise.all(
      ['0000', '0001', '0002', '0003', '0004'].map((pin) =>
        admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`, { pin }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 403)).toHaveLength(3);
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'FAILED' });
  });

  it('fails the request with APPROVAL_REJECTED when the payer rejects it', async () => {
    const msisdn = await interactivePayer('2468');
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const rejected = await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/reject`);
    expect(rejected.status).toBe(200);
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({
      status: 'FAILED',
      reason: { code: 'APPROVAL_REJECTED' },
    });
  });

  it('expires an unanswered request with EXPIRED and refuses a late approval', async () => {
    const msisdn = await interactivePayer();
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const final = await client.waitForFinalStatus(created.referenceId, APPROVAL_TIMEOUT_MS * 4);
    expect(final).toMatchObject({ status: 'FAILED', reason: { code: 'EXPIRED' } });
    const late = await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`);
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ code: 'TRANSACTION_NOT_COMPLETED' });
  });

  it('posts once when the payer approves the same request twice at the same moment', async () => {
    const msisdn = await interactivePayer();
    const created = await client.requestToPay(
      requestToPayBody({ amount: '3', payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
    );
    const prompt = await promptFor(msisdn);
    const answers = await Promise.all(
      [1, 2, 3].map(() => admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    expect(await postingsOf(server.baseUrl, client, created.referenceId)).toHaveLength(1);
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('treats test number 46733123470 as an interactive payer', async () => {
    const created = await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: '46733123470' } }),
    );
    const prompt = await promptFor('46733123470');
    await admin(server.baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`);
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'SUCCESSFUL' });
  });
});

describe.each(ENGINES)('a payer who answers after the deadline on %s', (engine) => {
  it('expires the request instead of moving the money, when the settlement loop had not got to it yet', async () => {
    const clock = new ManualClock();
    // The loop looks for due work once a minute: the request is past its deadline and still PENDING.
    const server = await startTestServer(engine, {
      clock,
      config: { approvalTimeoutMs: 60_000, workerPollIntervalMs: 60_000 },
    });
    try {
      const client = await CollectionClient.create(server.baseUrl);
      const msisdn = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, {
        approvalMode: 'INTERACTIVE',
      });
      await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${msisdn}/fund`, {
        amount: '100',
        currency: 'EUR',
      });
      const created = await client.requestToPay(
        requestToPayBody({ amount: '10', payer: { partyIdType: 'MSISDN', partyId: msisdn } }),
      );
      const [prompt] = (await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${msisdn}/pending`))
        .body as PendingPrompt[];

      clock.advance(120_000);
      const late = await admin(server.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/approve`);

      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ code: 'TRANSACTION_NOT_COMPLETED' });
      expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({
        status: 'FAILED',
        reason: { code: 'EXPIRED' },
      });
      expect(await postingsOf(server.baseUrl, client, created.referenceId)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
