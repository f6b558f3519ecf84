/** Sandbox sign-up exactly as at MTN: /v1_0/apiuser, /v1_0/apiuser/{id}, /v1_0/apiuser/{id}/apikey. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { http, newSubscriptionKey } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe.each(ENGINES)('sandbox provisioning on %s', (engine) => {
  let server: TestServer;
  const subscriptionKey = newSubscriptionKey();
  const createUser = (
    apiUserId: string,
    key = subscriptionKey,
    body: unknown = { providerCallbackHost: 'webhook.example.com' },
  ) =>
    http(server.baseUrl, 'POST', '/v1_0/apiuser', {
      headers: {
        'X-Reference-Id': apiUserId,
        'Ocp-Apim-Subscription-Key': key,
        'Content-Type': 'application/json',
      },
      body,
    });

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('creates an API user with 201 and an empty body', async () => {
    const response = await createUser(randomUUID());
    expect(response.status).toBe(201);
    expect(response.text).toBe('');
  });

  it('answers GET /v1_0/apiuser/{id} with the callback host and the sandbox environment', async () => {
    const apiUserId = randomUUID();
    await createUser(apiUserId);
    const response = await http(server.baseUrl, 'GET', `/v1_0/apiuser/${apiUserId}`, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      providerCallbackHost: 'webhook.example.com',
      targetEnvironment: 'sandbox',
    });
  });

  it('refuses a second API user with the same X-Reference-Id with 409 RESOURCE_ALREADY_EXIST', async () => {
    const apiUserId = randomUUID();
    await createUser(apiUserId);
    const response = await createUser(apiUserId);
    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      code: 'RESOURCE_ALREADY_EXIST',
      message: 'Duplicated reference id. Creation of resource failed.',
    });
  });

  it('issues a new 32-hex API key on every call with 201', async () => {
    const apiUserId = randomUUID();
    await createUser(apiUserId);
    const issue = () =>
      http(server.baseUrl, 'POST', `/v1_0/apiuser/${apiUserId}/apikey`, {
        headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey, 'Content-Type': 'application/json' },
      });
    const first = await issue();
    const second = await issue();
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ apiKey: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(second.body).not.toEqual(first.body);
  });

  it('answers 404 for an API user id nobody created', async () => {
    const response = await http(server.baseUrl, 'GET', `/v1_0/apiuser/${randomUUID()}`, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it("hides another partner's API user behind the same 404", async () => {
    const apiUserId = randomUUID();
    await createUser(apiUserId, newSubscriptionKey());
    const read = await http(server.baseUrl, 'GET', `/v1_0/apiuser/${apiUserId}`, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
    });
    const key = await http(server.baseUrl, 'POST', `/v1_0/apiuser/${apiUserId}/apikey`, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
    });
    expect(read.status).toBe(404);
    expect(key.status).toBe(404);
  });

  it.each([
    ['not-a-uuid', 'not a UUID'],
    ['0b1a5d54-8d4c-1a1e-9f0f-3c8b3f6f1e2d', 'a UUID of version 1'],
  ])('refuses X-Reference-Id %s (%s) with 400', async (referenceId) => {
    const response = await createUser(referenceId);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 'BAD_REQUEST',
      message: 'X-Reference-Id header must be a UUID version 4.',
    });
  });

  it('refuses a body without providerCallbackHost with 400 and creates nothing', async () => {
    const apiUserId = randomUUID();
    const response = await createUser(apiUserId, subscriptionKey, {});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('providerCallbackHost'),
    });
    const read = await http(server.baseUrl, 'GET', `/v1_0/apiuser/${apiUserId}`, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
    });
    expect(read.status).toBe(404);
  });

  it("answers a missing subscription key with the API gateway's 401 body", async () => {
    const response = await http(server.baseUrl, 'POST', '/v1_0/apiuser', {
      headers: { 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' },
      body: { providerCallbackHost: 'example.com' },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      message:
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });
  });

  it('refuses a malformed subscription key even in sandbox mode', async () => {
    const response = await createUser(randomUUID(), 'not-a-key');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      message:
        'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    });
  });
});

describe.each(ENGINES)('provisioning outside sandbox mode on %s', (engine) => {
  let server: TestServer;
  const operatorToken = 'operator-token-for-tests-0123456789';
  const admin = (method: string, path: string, body?: unknown) =>
    http(server.baseUrl, method, `/admin/v1${path}`, {
      headers: { Authorization: `Bearer ${operatorToken}`, 'Content-Type': 'application/json' },
      body,
    });

  beforeAll(async () => {
    server = await startTestServer(engine, { config: { sandboxMode: false, operatorToken } });
  });
  afterAll(() => server.close());

  it.each([
    ['POST', '/v1_0/apiuser'],
    ['GET', `/v1_0/apiuser/${randomUUID()}`],
    ['POST', `/v1_0/apiuser/${randomUUID()}/apikey`],
  ])(
    "answers the sandbox-only provisioning call %s %s with the production gateway's 404",
    async (method, path) => {
      const response = await http(server.baseUrl, method, path, {
        headers: {
          'X-Reference-Id': randomUUID(),
          'Ocp-Apim-Subscription-Key': newSubscriptionKey(),
          'Content-Type': 'application/json',
        },
        ...(method === 'POST' ? { body: { providerCallbackHost: 'example.com' } } : {}),
      });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ statusCode: 404, message: 'Resource not found' });
    },
  );

  it('refuses a well-formed subscription key the operator never issued', async () => {
    const response = await http(server.baseUrl, 'POST', '/collection/token/', {
      headers: { 'Ocp-Apim-Subscription-Key': newSubscriptionKey() },
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401 });
  });

  it('accepts the keys and API users an operator issues', async () => {
    const partner = await admin('POST', '/partners', { name: 'ACME' });
    const partnerId = (partner.body as { id: string }).id;
    const key = await admin('POST', `/partners/${partnerId}/subscription-keys`, { product: 'collection' });
    const user = await admin('POST', `/partners/${partnerId}/api-users`, {
      providerCallbackHost: 'acme.example',
      targetEnvironment: 'mtnuganda',
    });
    const { subscriptionKey } = key.body as { subscriptionKey: string };
    const { apiUserId, apiKey } = user.body as { apiUserId: string; apiKey: string };
    const token = await http(server.baseUrl, 'POST', '/collection/token/', {
      headers: {
        'Ocp-Apim-Subscription-Key': subscriptionKey,
        Authorization: `Basic ${Buffer.from(`${apiUserId}:${apiKey}`).toString('base64')}`,
      },
    });
    expect(partner.status).toBe(201);
    expect(key.status).toBe(201);
    expect(user.status).toBe(201);
    expect(token.status).toBe(200);
  });

  it('refuses the admin API without the operator token', async () => {
    const response = await http(server.baseUrl, 'POST', '/admin/v1/partners', {
      headers: { 'Content-Type': 'application/json' },
      body: { name: 'x' },
    });
    expect(response.status).toBe(401);
  });
});
