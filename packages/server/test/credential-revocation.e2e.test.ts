/**
 * An operator revokes a leaked credential: an API user (its API keys and access tokens) or a subscription key.
 * The server that revoked it refuses it at once; every other server on the database within a second.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import {
  basicAuth,
  CollectionClient,
  http,
  newSubscriptionKey,
  requestToPayBody,
  sleep,
} from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const INVALID_TOKEN = { statusCode: 401, message: 'Access denied due to invalid access token.' };
const INVALID_KEY = {
  statusCode: 401,
  message:
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

function balanceOn(baseUrl: string, client: CollectionClient) {
  return http(baseUrl, 'GET', '/collection/v1_0/account/balance', { headers: client.headers() });
}

function tokenFor(baseUrl: string, client: CollectionClient) {
  return http(baseUrl, 'POST', '/collection/token/', {
    headers: {
      Authorization: basicAuth(client.credentials.apiUserId, client.credentials.apiKey),
      'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
    },
  });
}

describe.each(ENGINES)('credential revocation on %s', (engine) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0).reverse()) {
      await server.close();
    }
  });
  const started = async (options: Parameters<typeof startTestServer>[1] = {}) => {
    const server = await startTestServer(engine, options);
    servers.push(server);
    return server;
  };

  it("refuses a revoked API user's access token at once", async () => {
    const server = await started();
    const client = await CollectionClient.create(server.baseUrl);
    expect((await balanceOn(server.baseUrl, client)).status).toBe(200);

    const revoked = await admin(server.baseUrl, 'POST', `/api-users/${client.credentials.apiUserId}/revoke`);

    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: client.credentials.apiUserId, revokedAtMs: expect.any(Number) });
    const refused = await client.requestToPay(requestToPayBody());
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(INVALID_TOKEN);
  });

  it('revokes an API user named in upper case, as a client may have created it', async () => {
    const server = await started();
    const client = await CollectionClient.create(server.baseUrl);

    const revoked = await admin(
      server.baseUrl,
      'POST',
      `/api-users/${client.credentials.apiUserId.toUpperCase()}/revoke`,
    );

    expect(revoked.status).toBe(200);
    expect((await balanceOn(server.baseUrl, client)).body).toEqual(INVALID_TOKEN);
  });

  it("gives a revoked API user's key no new access token and no new API key", async () => {
    const server = await started();
    const client = await CollectionClient.create(server.baseUrl);
    await admin(server.baseUrl, 'POST', `/api-users/${client.credentials.apiUserId}/revoke`);

    expect((await tokenFor(server.baseUrl, client)).status).toBe(401);
    const newKey = await http(
      server.baseUrl,
      'POST',
      `/v1_0/apiuser/${client.credentials.apiUserId}/apikey`,
      {
        headers: { 'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey },
      },
    );
    expect(newKey.status).toBe(404);
    const provisioned = await http(server.baseUrl, 'GET', `/v1_0/apiuser/${client.credentials.apiUserId}`, {
      headers: { 'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey },
    });
    expect(provisioned.status).toBe(404);
  });

  it("keeps the partner's other API users working", async () => {
    const server = await started();
    const subscriptionKey = newSubscriptionKey();
    const revoked = await CollectionClient.create(server.baseUrl, { subscriptionKey });
    const other = await CollectionClient.create(server.baseUrl, { subscriptionKey });

    await admin(server.baseUrl, 'POST', `/api-users/${revoked.credentials.apiUserId}/revoke`);

    expect((await other.requestToPay(requestToPayBody())).status).toBe(202);
    expect((await tokenFor(server.baseUrl, other)).status).toBe(200);
  });

  it('keeps the time of the first revocation when an API user is revoked again', async () => {
    const server = await started();
    const client = await CollectionClient.create(server.baseUrl);
    const path = `/api-users/${client.credentials.apiUserId}/revoke`;

    const first = (await admin(server.baseUrl, 'POST', path)).body as { revokedAtMs: number };
    await sleep(5);
    const second = (await admin(server.baseUrl, 'POST', path)).body as { revokedAtMs: number };

    expect(second.revokedAtMs).toBe(first.revokedAtMs);
    const listed = (await admin(server.baseUrl, 'GET', '/api-users')).body as {
      id: string;
      revokedAtMs: number;
    }[];
    expect(listed.find((apiUser) => apiUser.id === client.credentials.apiUserId)?.revokedAtMs).toBe(
      first.revokedAtMs,
    );
  });

  it('refuses a revoked subscription key, and sandbox mode does not enroll it again', async () => {
    const server = await started();
    const client = await CollectionClient.create(server.baseUrl);

    const revoked = await admin(server.baseUrl, 'POST', '/subscription-keys/revoke', {
      subscriptionKey: client.credentials.subscriptionKey,
    });

    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ product: 'collection', revokedAtMs: expect.any(Number) });
    for (const response of [
      await client.requestToPay(requestToPayBody()),
      await tokenFor(server.baseUrl, client),
      await http(server.baseUrl, 'POST', '/v1_0/apiuser', {
        headers: {
          'X-Reference-Id': crypto.randomUUID(),
          'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
          'Content-Type': 'application/json',
        },
        body: { providerCallbackHost: '127.0.0.1' },
      }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(INVALID_KEY);
    }
  });

  it('answers 404 for an API user or a subscription key it does not know', async () => {
    const server = await started();

    const apiUser = await admin(server.baseUrl, 'POST', `/api-users/${crypto.randomUUID()}/revoke`);
    const key = await admin(server.baseUrl, 'POST', '/subscription-keys/revoke', {
      subscriptionKey: newSubscriptionKey(),
    });

    expect(apiUser.status).toBe(404);
    expect(apiUser.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect(key.status).toBe(404);
    expect(key.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it('makes another server on the same database refuse what one revoked, within a second', async () => {
    const first = await started();
    const second = await started({ database: first.database });
    const client = await CollectionClient.create(first.baseUrl);
    const keyHolder = await CollectionClient.create(first.baseUrl);
    // Both credentials are in use on the second server, so it holds them in its caches.
    expect((await balanceOn(second.baseUrl, client)).status).toBe(200);
    expect((await balanceOn(second.baseUrl, keyHolder)).status).toBe(200);

    await admin(first.baseUrl, 'POST', `/api-users/${client.credentials.apiUserId}/revoke`);
    await admin(first.baseUrl, 'POST', '/subscription-keys/revoke', {
      subscriptionKey: keyHolder.credentials.subscriptionKey,
    });

    // Servers read the revoked lists every second.
    const deadline = Date.now() + 3000;
    let token = await balanceOn(second.baseUrl, client);
    let key = await balanceOn(second.baseUrl, keyHolder);
    while ((token.status !== 401 || key.status !== 401) && Date.now() < deadline) {
      await sleep(20);
      token = await balanceOn(second.baseUrl, client);
      key = await balanceOn(second.baseUrl, keyHolder);
    }
    expect(token.body).toEqual(INVALID_TOKEN);
    expect(key.body).toEqual(INVALID_KEY);
  });

  it('refuses a credential revoked before the server started, from its first request', async () => {
    const first = await started();
    const client = await CollectionClient.create(first.baseUrl);
    await admin(first.baseUrl, 'POST', `/api-users/${client.credentials.apiUserId}/revoke`);
    const database = first.database;
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const restarted = await started({ database });

    expect((await balanceOn(restarted.baseUrl, client)).body).toEqual(INVALID_TOKEN);
  });
});
