/** POST /collection/token/ and the bearer token every other Collection call needs. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import {
  basicAuth,
  CollectionClient,
  http,
  newSubscriptionKey,
  provisionSandboxUser,
  requestToPayBody,
} from '../support/momo-client.js';
import { ManualClock, startTestServer, type TestServer } from '../support/test-server.js';

describe.each(ENGINES)('collection token on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer(engine, { clock });
  });
  afterAll(() => server.close());

  const tokenCall = (path: string, subscriptionKey: string, authorization: string) =>
    http(server.baseUrl, 'POST', path, {
      headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey, Authorization: authorization },
    });

  it.each(['/collection/token/', '/collection/token'])(
    'issues a one-hour access token at %s',
    async (path) => {
      const credentials = await provisionSandboxUser(server.baseUrl);
      const response = await tokenCall(
        path,
        credentials.subscriptionKey,
        basicAuth(credentials.apiUserId, credentials.apiKey),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'access_token',
        expires_in: 3600,
      });
    },
  );

  it('issues a token to an API user created, and signed in, with its id in upper case', async () => {
    // Swift's UUID().uuidString, for one, writes upper case.
    const apiUserId = randomUUID().toUpperCase();
    const credentials = await provisionSandboxUser(server.baseUrl, { apiUserId });
    const response = await tokenCall(
      '/collection/token/',
      credentials.subscriptionKey,
      basicAuth(apiUserId, credentials.apiKey),
    );
    expect(response.status).toBe(200);
  });

  it('refuses a wrong API key with 401 login_failed', async () => {
    const credentials = await provisionSandboxUser(server.baseUrl);
    const response = await tokenCall(
      '/collection/token/',
      credentials.subscriptionKey,
      basicAuth(credentials.apiUserId, 'f'.repeat(32)),
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'login_failed' });
  });

  it("refuses another partner's subscription key with the API user's credentials", async () => {
    const credentials = await provisionSandboxUser(server.baseUrl);
    const response = await tokenCall(
      '/collection/token/',
      newSubscriptionKey(),
      basicAuth(credentials.apiUserId, credentials.apiKey),
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'login_failed' });
  });

  describe('on a product call', () => {
    let client: CollectionClient;
    beforeAll(async () => {
      client = await CollectionClient.create(server.baseUrl);
    });

    const getStatus = (headers: Record<string, string>) =>
      http(server.baseUrl, 'GET', `/collection/v1_0/requesttopay/${randomUUID()}`, { headers });

    it('refuses a missing access token with 401', async () => {
      const response = await getStatus({
        'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
        'X-Target-Environment': 'sandbox',
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        statusCode: 401,
        message: expect.stringContaining('missing access token'),
      });
    });

    it('refuses a forged access token with 401', async () => {
      const [header, payload] = client.accessToken.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(43)}`;
      const response = await getStatus(client.headers({ Authorization: `Bearer ${forged}` }));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        statusCode: 401,
        message: expect.stringContaining('invalid access token'),
      });
    });

    it('refuses a token of another product with 401', async () => {
      const { createSigner } = await import('fast-jwt');
      const secret = await server.store.secrets.find('access-token-signing-key');
      const [, payload] = client.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const disbursementToken = createSigner({ key: secret as string })({ ...claims, prd: 'disbursement' });
      const response = await getStatus(client.headers({ Authorization: `Bearer ${disbursementToken}` }));
      expect(response.status).toBe(401);
    });

    it('refuses an expired access token with 401 after its hour is up', async () => {
      const fresh = await CollectionClient.create(server.baseUrl);
      clock.advance(3601 * 1000);
      const response = await getStatus(fresh.headers());
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401, message: expect.stringContaining('expired') });
    });

    it("refuses an X-Target-Environment other than the API user's with 403 NOT_ALLOWED_TARGET_ENVIRONMENT", async () => {
      const fresh = await CollectionClient.create(server.baseUrl);
      const response = await fresh.requestToPay(requestToPayBody(), {
        headers: { 'X-Target-Environment': 'mtnuganda' },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'NOT_ALLOWED_TARGET_ENVIRONMENT' });
    });

    it('refuses a call without X-Target-Environment with 400', async () => {
      const fresh = await CollectionClient.create(server.baseUrl);
      const headers = fresh.headers();
      delete headers['X-Target-Environment'];
      const response = await getStatus(headers);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        code: 'BAD_REQUEST',
        message: 'X-Target-Environment header is required.',
      });
    });
  });
});
