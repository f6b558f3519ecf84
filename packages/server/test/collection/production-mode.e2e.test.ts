/** Outside sandbox mode nothing is scripted or invented: payers must exist, test numbers are ordinary numbers. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { basicAuth, http, requestToPayBody } from '../support/momo-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

describe.each(ENGINES)('request to pay in production mode on %s', (engine) => {
  let server: TestServer;
  let headers: Record<string, string>;
  const admin = (method: string, path: string, body?: unknown) =>
    http(server.baseUrl, method, `/admin/v1${path}`, {
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body,
    });

  beforeAll(async () => {
    server = await startTestServer(engine, { config: { sandboxMode: false, operatorToken: OPERATOR_TOKEN } });
    const partnerId = ((await admin('POST', '/partners', { name: 'Shop' })).body as { id: string }).id;
    const { subscriptionKey } = (
      await admin('POST', `/partners/${partnerId}/subscription-keys`, { product: 'collection' })
    ).body as {
      subscriptionKey: string;
    };
    const { apiUserId, apiKey } = (
      await admin('POST', `/partners/${partnerId}/api-users`, {
        providerCallbackHost: '127.0.0.1',
        targetEnvironment: 'mtnuganda',
      })
    ).body as { apiUserId: string; apiKey: string };
    const token = await http(server.baseUrl, 'POST', '/collection/token/', {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey, Authorization: basicAuth(apiUserId, apiKey) },
    });
    headers = {
      Authorization: `Bearer ${(token.body as { access_token: string }).access_token}`,
      'Ocp-Apim-Subscription-Key': subscriptionKey,
      'X-Target-Environment': 'mtnuganda',
      'Content-Type': 'application/json',
    };
  });
  afterAll(() => server.close());

  const requestToPay = async (partyId: string, amount = '1000') => {
    const referenceId = randomUUID();
    const created = await http(server.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
      headers: { ...headers, 'X-Reference-Id': referenceId },
      body: requestToPayBody({ amount, currency: 'UGX', payer: { partyIdType: 'MSISDN', partyId } }),
    });
    expect(created.status).toBe(202);
    const deadline = Date.now() + 5000;
    for (;;) {
      const status = await http(server.baseUrl, 'GET', `/collection/v1_0/requesttopay/${referenceId}`, {
        headers,
      });
      if ((status.body as { status: string }).status !== 'PENDING' || Date.now() > deadline) {
        return status.body;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('fails a payer nobody registered with PAYER_NOT_FOUND instead of inventing one', async () => {
    expect(await requestToPay('256700000001')).toMatchObject({
      status: 'FAILED',
      reason: { code: 'PAYER_NOT_FOUND' },
    });
  });

  it("treats MTN's sandbox test numbers as ordinary account holders", async () => {
    await admin('PUT', '/account-holders/MSISDN/46733123450', { givenName: 'Real' });
    await admin('POST', '/account-holders/MSISDN/46733123450/fund', { amount: '5000', currency: 'UGX' });
    expect(await requestToPay('46733123450')).toMatchObject({ status: 'SUCCESSFUL' });
  });

  it('names no payee on an invoice whose payee nobody registered, instead of inventing names', async () => {
    await admin('PUT', '/account-holders/MSISDN/256700000002', { givenName: 'Payer' });
    const referenceId = randomUUID();
    const created = await http(server.baseUrl, 'POST', '/collection/v2_0/invoice', {
      headers: { ...headers, 'X-Reference-Id': referenceId },
      body: {
        externalId: 'invoice-1',
        amount: '500',
        currency: 'UGX',
        validityDuration: '3600',
        intendedPayer: { partyIdType: 'MSISDN', partyId: '256700000002' },
        payee: { partyIdType: 'MSISDN', partyId: '256700000003' },
        description: 'An invoice',
      },
    });
    expect(created.status).toBe(202);
    const invoice = await http(server.baseUrl, 'GET', `/collection/v2_0/invoice/${referenceId}`, { headers });
    expect(invoice.status).toBe(200);
    expect(invoice.body).not.toHaveProperty('payeeFirstName');
    expect(invoice.body).not.toHaveProperty('payeeLastName');
  });

  it("answers every MoMo route, with this partner's credentials or none, in a wallet or gateway body and never a 5xx", async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const calls = Object.entries(document.paths)
      .filter(([path]) => !path.startsWith('/admin/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, randomUUID()),
        })),
      );
    expect(calls.length).toBeGreaterThan(40);
    const answers: { call: string; status: number; keys: string }[] = [];
    for (const { method, path } of calls) {
      for (const credentials of [headers, {}]) {
        const response = await http(server.baseUrl, method, path, {
          headers: { ...credentials, 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' },
          ...(method === 'GET' ? {} : { body: {} }),
        });
        const body = response.body as Record<string, unknown> | undefined;
        answers.push({
          call: `${method} ${path}`,
          status: response.status,
          keys: body === undefined || typeof body !== 'object' ? '' : Object.keys(body).sort().join(','),
        });
      }
    }
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    // Every refusal in one of the families MoMo clients parse: the wallet's, the gateway's, the token
    // endpoint's, or OAuth's (the consent flow's oauth2/token/).
    const families = ['code,message', 'message,statusCode', 'error', 'error,error_description'];
    expect(answers.filter((answer) => answer.status >= 400 && !families.includes(answer.keys))).toEqual([]);
  });
});
