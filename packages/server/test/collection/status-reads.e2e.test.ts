/**
 * Status reads: a final transaction is kept in memory by the server that read it, for its owner only. A PENDING
 * one is kept only on SQLite, whose server notices any other connection's commit (transaction-cache.ts): the
 * decision may be made by another server on the same database, and the next read must show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../support/admin-client.js';
import { ENGINES, runSqlBehindTheServer } from '../support/engines.js';
import { CollectionClient, ProductClient, requestToPayBody } from '../support/momo-client.js';
import { uniqueMsisdn } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(ENGINES)('status reads across two servers on %s', (engine) => {
  let deciding: TestServer;
  let reading: TestServer;
  let client: CollectionClient;
  let readingClient: ProductClient;

  beforeAll(async () => {
    deciding = await startTestServer(engine);
    reading = await startTestServer(engine, { database: deciding.database });
    client = await CollectionClient.create(deciding.baseUrl);
    readingClient = await ProductClient.withCredentials(reading.baseUrl, 'collection', client.credentials);
  });
  afterAll(async () => {
    await reading.close();
    await deciding.close();
  });

  it('shows the decision another server made on a request it had read while PENDING', async () => {
    const payer = uniqueMsisdn();
    await admin(deciding.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
    await admin(deciding.baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, {
      amount: '100',
      currency: 'EUR',
    });
    const created = await client.requestToPay(
      requestToPayBody({ amount: '15', payer: { partyIdType: 'MSISDN', partyId: payer } }),
    );
    const statusPath = `/v1_0/requesttopay/${created.referenceId}`;
    expect((await readingClient.get(statusPath)).body).toMatchObject({ status: 'PENDING' });

    const [prompt] = (await admin(deciding.baseUrl, 'GET', `/account-holders/MSISDN/${payer}/pending`))
      .body as { transactionId: string }[];
    const approved = await admin(deciding.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/approve`);
    expect(approved.status).toBe(200);

    expect((await readingClient.get(statusPath)).body).toMatchObject({ status: 'SUCCESSFUL' });
    expect((await readingClient.get(statusPath)).body).toMatchObject({ status: 'SUCCESSFUL' });
  });

  it('answers a final transaction it has read from memory, and a PENDING one as the database has it now', async () => {
    const final = await client.requestToPay(requestToPayBody({ payerMessage: 'as sent' }));
    expect(await client.waitForFinalStatus(final.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    const payer = uniqueMsisdn();
    await admin(deciding.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
    const pending = await client.requestToPay(
      requestToPayBody({ payerMessage: 'as sent', payer: { partyIdType: 'MSISDN', partyId: payer } }),
    );
    expect((await client.getRequestToPay(pending.referenceId)).body).toMatchObject({ status: 'PENDING' });

    await runSqlBehindTheServer(
      deciding.database,
      `update transactions set payer_message = 'changed in the database'
         where reference_id in ('${final.referenceId}', '${pending.referenceId}')`,
    );

    expect((await client.getRequestToPay(final.referenceId)).body).toMatchObject({ payerMessage: 'as sent' });
    expect((await client.getRequestToPay(pending.referenceId)).body).toMatchObject({
      payerMessage: 'changed in the database',
    });
  });

  it('answers a final transaction read again from memory with the same JSON, typed as JSON, as its first read', async () => {
    const created = await client.requestToPay(requestToPayBody());
    await client.waitForFinalStatus(created.referenceId);
    const first = await client.getRequestToPay(created.referenceId);

    const again = await client.getRequestToPay(created.referenceId);

    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(again.body).toMatchObject({ status: 'SUCCESSFUL', financialTransactionId: expect.any(String) });
  });

  it('answers another API user with 404 for a final transaction its owner has read', async () => {
    const created = await client.requestToPay(requestToPayBody());
    expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });
    const stranger = await CollectionClient.create(deciding.baseUrl);

    expect((await stranger.getRequestToPay(created.referenceId)).status).toBe(404);
  });

  it('answers 404 under another resource for a final transaction read from memory', async () => {
    const created = await client.requestToPay(requestToPayBody());
    expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });

    expect((await client.get(`/v1_0/requesttowithdraw/${created.referenceId}`)).status).toBe(404);
  });

  it('answers a final transaction read from memory whatever the case of its reference id', async () => {
    const created = await client.requestToPay(requestToPayBody());
    expect(await client.waitForFinalStatus(created.referenceId)).toMatchObject({ status: 'SUCCESSFUL' });

    expect(await client.getRequestToPay(created.referenceId.toUpperCase())).toMatchObject({
      status: 200,
      body: { status: 'SUCCESSFUL' },
    });
  });
});
