/** Brute-force protection (one server, two servers, behind a proxy), secrets at rest, secrets in logs, and tenant isolation of cancels. */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/serve.js';
import { hashKey } from '../src/services/secrets.js';
import { admin } from './support/admin-client.js';
import {
  basicAuth,
  CollectionClient,
  http,
  provisionSandboxUser,
  requestToPayBody,
} from './support/momo-client.js';
import { ManualClock, startTestServer, type TestServer } from './support/test-server.js';

describe('brute-force protection', () => {
  let server: TestServer;
  const clock = new ManualClock();
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      clock,
      config: { authFailureLimit: 5, authFailureWindowSeconds: 60 },
    });
  });
  afterAll(() => server.close());

  it('refuses a client with 429 after too many authentication failures, until the window ends', async () => {
    const credentials = await provisionSandboxUser(server.baseUrl);
    const attempt = (apiKey: string) =>
      http(server.baseUrl, 'POST', '/collection/token/', {
        headers: {
          Authorization: basicAuth(credentials.apiUserId, apiKey),
          'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
        },
      });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(`${i}`.repeat(32))).status).toBe(401);
    }
    const refused = await attempt('f'.repeat(32));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body).toEqual({
      statusCode: 429,
      message: expect.stringMatching(/^Rate limit is exceeded\. Try again in \d+ seconds?\.$/),
    });
    // Even the right key waits: the attacker's address is refused whole.
    expect((await attempt(credentials.apiKey)).status).toBe(429);
    clock.advance(61_000);
    expect((await attempt(credentials.apiKey)).status).toBe(200);
  });
});

describe('brute-force protection against keys tried in parallel', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      config: { authFailureLimit: 5, authFailureWindowSeconds: 60 },
    });
  });
  afterAll(() => server.close());

  it('judges no more wrong API keys of one address than the limit, though all are sent at once', async () => {
    const credentials = await provisionSandboxUser(server.baseUrl);

    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http(server.baseUrl, 'POST', '/collection/token/', {
          headers: {
            Authorization: basicAuth(credentials.apiUserId, i.toString(16).padStart(32, '0')),
            'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
          },
        }).then((response) => response.status),
      ),
    );

    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
  });
});

describe('brute-force protection with live event streams open', () => {
  const operatorToken = 'operator-token-for-the-stream-test-0123';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      config: { sandboxMode: false, operatorToken, authFailureLimit: 2, authFailureWindowSeconds: 60 },
    });
  });
  afterAll(() => server.close());

  it('lets an address with more streams open than the limit still call the operator API', async () => {
    const streams = Array.from({ length: 3 }, () => new AbortController());
    const opened = await Promise.all(
      streams.map((stream) =>
        fetch(`${server.baseUrl}/admin/v1/events?token=${operatorToken}`, { signal: stream.signal }),
      ),
    );

    const listed = await http(server.baseUrl, 'GET', '/admin/v1/transactions', {
      headers: { Authorization: `Bearer ${operatorToken}` },
    });

    for (const stream of streams) {
      stream.abort();
    }
    expect(opened.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(listed.status).toBe(200);
  });
});

describe('brute-force protection across two servers on one PostgreSQL', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const config = { authFailureLimit: 4, authFailureWindowSeconds: 60 };
    first = await startTestServer('postgres', { config });
    second = await startTestServer('postgres', { config, database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('counts an address’s failures on both servers together', async () => {
    const credentials = await provisionSandboxUser(first.baseUrl);
    const wrongKeyAt = (server: TestServer) =>
      http(server.baseUrl, 'POST', '/collection/token/', {
        headers: {
          Authorization: basicAuth(credentials.apiUserId, '0'.repeat(32)),
          'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
        },
      });
    for (const server of [first, first, second, second]) {
      expect((await wrongKeyAt(server)).status).toBe(401);
    }

    expect((await wrongKeyAt(second)).status).toBe(429);
    // The first server last heard a count of 2: one more failure there brings it the shared count.
    expect((await wrongKeyAt(first)).status).toBe(401);
    expect((await wrongKeyAt(first)).status).toBe(429);
  });
});

describe('brute-force protection behind a proxy', () => {
  const FAILURE_LIMIT = 3;
  let direct: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    const config = { authFailureLimit: FAILURE_LIMIT, authFailureWindowSeconds: 60 };
    direct = await startTestServer('sqlite', { config });
    // The test's own requests come from loopback: loopback plays the load balancer.
    proxied = await startTestServer('sqlite', { config: { ...config, trustProxy: '127.0.0.1' } });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  type Credentials = Awaited<ReturnType<typeof provisionSandboxUser>>;

  const tokenAttempt = (
    server: TestServer,
    credentials: Credentials,
    forwardedFor: string,
    apiKey?: string,
  ) =>
    http(server.baseUrl, 'POST', '/collection/token/', {
      headers: {
        Authorization: basicAuth(credentials.apiUserId, apiKey ?? credentials.apiKey),
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
        'X-Forwarded-For': forwardedFor,
      },
    });

  async function exhaustFailures(server: TestServer, credentials: Credentials, forwardedFor: string) {
    for (let i = 0; i < FAILURE_LIMIT; i++) {
      expect((await tokenAttempt(server, credentials, forwardedFor, '0'.repeat(32))).status).toBe(401);
    }
  }

  it('counts failures per forwarded client when TRUST_PROXY names the proxy', async () => {
    const credentials = await provisionSandboxUser(proxied.baseUrl);
    await exhaustFailures(proxied, credentials, '203.0.113.1');

    expect((await tokenAttempt(proxied, credentials, '203.0.113.1')).status).toBe(429);
    expect((await tokenAttempt(proxied, credentials, '203.0.113.2')).status).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY, so a client cannot escape the limit by sending it', async () => {
    const credentials = await provisionSandboxUser(direct.baseUrl);
    await exhaustFailures(direct, credentials, '203.0.113.1');

    expect((await tokenAttempt(direct, credentials, '203.0.113.2')).status).toBe(429);
  });
});

/** A log stream that keeps what a server writes, for a test to search. */
function capturedLog() {
  const log = {
    text: '',
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.text += chunk.toString();
        done();
      },
    }),
  };
  return log;
}

describe('secrets', () => {
  let server: TestServer;
  const log = capturedLog();
  beforeAll(async () => {
    server = await startTestServer('sqlite', { logger: loggerOptions('debug', log.stream) });
  });
  afterAll(() => server.close());

  it('stores subscription keys, API keys and PINs only as digests, and never writes them or tokens to the log', async () => {
    const client = await CollectionClient.create(server.baseUrl);
    const { subscriptionKey, apiUserId, apiKey } = client.credentials;
    const pin = '975310';
    await admin(server.baseUrl, 'PUT', '/account-holders/MSISDN/256772000950', {
      approvalMode: 'INTERACTIVE',
      pin,
    });
    await client.requestToPay(
      requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: '256772000950' } }),
    );
    const pending = (await admin(server.baseUrl, 'GET', '/account-holders/MSISDN/256772000950/pending'))
      .body as { transactionId: string }[];
    await admin(server.baseUrl, 'POST', `/transactions/${pending[0]?.transactionId}/approve`, {
      pin: '000000',
    });
    await admin(server.baseUrl, 'POST', `/transactions/${pending[0]?.transactionId}/approve`, { pin });
    await http(server.baseUrl, 'POST', '/collection/token/', {
      headers: {
        Authorization: basicAuth(apiUserId, 'e'.repeat(32)),
        'Ocp-Apim-Subscription-Key': subscriptionKey,
      },
    });

    expect(await server.store.subscriptionKeys.findByHash(subscriptionKey)).toBeUndefined();
    expect(await server.store.subscriptionKeys.findByHash(hashKey(subscriptionKey))).toBeDefined();
    expect(await server.store.apiKeys.exists(apiUserId, apiKey)).toBe(false);
    expect(await server.store.apiKeys.exists(apiUserId, hashKey(apiKey))).toBe(true);
    const holder = await server.store.accountHolders.findByParty('MSISDN', '256772000950');
    expect(holder?.pinHash).toMatch(/^scrypt:/);
    expect(holder?.pinHash).not.toContain(pin);

    // A subscription key may come in the query, Azure's way.
    await http(
      server.baseUrl,
      'GET',
      `/collection/v1_0/account/balance?subscription-key=${subscriptionKey}`,
      {
        headers: { Authorization: `Bearer ${client.accessToken}`, 'X-Target-Environment': 'sandbox' },
      },
    );

    expect(log.text.length).toBeGreaterThan(0);
    for (const secret of [subscriptionKey, apiKey, client.accessToken, pin]) {
      expect(log.text).not.toContain(secret);
    }
  });
  it('keeps a subscription key out of the log however its query parameter name is spelled', async () => {
    const client = await CollectionClient.create(server.baseUrl);
    const { subscriptionKey } = client.credentials;
    const headers = { Authorization: `Bearer ${client.accessToken}`, 'X-Target-Environment': 'sandbox' };

    for (const name of [
      'subscription%2Dkey',
      'Subscription-Key',
      'subscription-key[]',
      'subscription-key[0]',
    ]) {
      await http(server.baseUrl, 'GET', `/collection/v1_0/account/balance?${name}=${subscriptionKey}`, {
        headers,
      });
    }

    expect(log.text).toContain('subscription%2Dkey=[Redacted]');
    expect(log.text).not.toContain(subscriptionKey);
  });
});

describe('the operator token', () => {
  const operatorToken = 'operator-token-for-the-log-test-0123456789';
  let server: TestServer;
  const log = capturedLog();
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      config: { sandboxMode: false, operatorToken },
      logger: loggerOptions('info', log.stream),
    });
  });
  afterAll(() => server.close());

  it('opens the live event stream with ?token=, which the log does not show', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.baseUrl}/admin/v1/events?token=${operatorToken}`, {
      signal: controller.signal,
    });
    controller.abort();

    expect(stream.status).toBe(200);
    expect(log.text).toContain('/admin/v1/events?token=[Redacted]');
    expect(log.text).not.toContain(operatorToken);
  });

  it('keeps the operator token out of the log when the parameter name is percent-encoded', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.baseUrl}/admin/v1/events?%74oken=${operatorToken}`, {
      signal: controller.signal,
    });
    controller.abort();

    expect(stream.status).toBe(200);
    expect(log.text).toContain('/admin/v1/events?%74oken=[Redacted]');
    expect(log.text).not.toContain(operatorToken);
  });

  it('is refused in the query of any other operator route', async () => {
    const listed = await http(server.baseUrl, 'GET', `/admin/v1/transactions?token=${operatorToken}`);

    expect(listed.status).toBe(401);
  });
});

/** A GET as a browser sends it to a page whose host name was made to resolve to this server: Host is the page's. */
function getAddressedTo(baseUrl: string, host: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    request(new URL(path, baseUrl), { headers: { ...headers, Host: host } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the open sandbox operator API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.close());
  const addFaultFrom = (origin: string) =>
    http(server.baseUrl, 'POST', '/admin/v1/faults', {
      // A form post from a page: a "simple" request a browser sends without asking first.
      headers: { Origin: origin, 'Content-Type': 'text/plain' },
      rawBody: JSON.stringify({
        path: '/collection/v1_0/requesttopay',
        fault: 'error',
        status: 503,
        times: 1,
      }),
    });

  it('refuses a change sent by a page on another site, and makes none', async () => {
    const refused = await addFaultFrom('https://evil.example');

    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'NOT_ALLOWED' });
    expect((await admin(server.baseUrl, 'GET', '/faults')).body).toEqual([]);
  });

  it("takes a change sent from the dashboard's own origin", async () => {
    const added = await addFaultFrom(new URL(server.baseUrl).origin);

    expect(added.status).toBe(201);
    await admin(server.baseUrl, 'DELETE', '/faults');
  });

  it('refuses a request addressed to a host name that could have been rebound to this machine', async () => {
    const refused = await getAddressedTo(
      server.baseUrl,
      `attacker.example:${new URL(server.baseUrl).port}`,
      '/admin/v1/api-users',
    );

    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'NOT_ALLOWED',
      message: expect.stringContaining('OPERATOR_HOSTS'),
    });
  });

  it('judges the Host the browser sent, not an X-Forwarded-Host a page added, even behind a trusted proxy', async () => {
    const proxied = await startTestServer('sqlite', { config: { trustProxy: 'true' } });
    try {
      const refused = await getAddressedTo(
        proxied.baseUrl,
        `attacker.example:${new URL(proxied.baseUrl).port}`,
        '/admin/v1/api-users',
        { 'X-Forwarded-Host': 'localhost' },
      );

      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'NOT_ALLOWED' });
    } finally {
      await proxied.close();
    }
  });

  it.each(['localhost:8080', 'dashboard.localhost', '127.0.0.1:8080', '[::1]:8080', '192.168.1.20'])(
    'answers a request addressed to %s, which cannot be rebound',
    async (host) => {
      expect((await getAddressedTo(server.baseUrl, host, '/admin/v1/api-users')).status).toBe(200);
    },
  );

  it.each([
    ['answers a listed name in any case, and no other', 'OpenMoMo, sandbox.internal', 'openmomo:8080', 403],
    ['answers any name when it is *', '*', 'attacker.example', 200],
  ])('OPERATOR_HOSTS: %s', async (_case, operatorHosts, listedHost, unlistedStatus) => {
    const listing = await startTestServer('sqlite', { config: { operatorHosts } });
    try {
      expect((await getAddressedTo(listing.baseUrl, listedHost, '/admin/v1/api-users')).status).toBe(200);
      expect((await getAddressedTo(listing.baseUrl, 'unlisted.example', '/admin/v1/api-users')).status).toBe(
        unlistedStatus,
      );
    } finally {
      await listing.close();
    }
  });
});

describe('tenant isolation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.close());

  it("does not let an API user cancel another's invoice", async () => {
    const owner = await CollectionClient.create(server.baseUrl);
    const intruder = await CollectionClient.create(server.baseUrl);
    const created = await owner.create('/v2_0/invoice', {
      amount: '10',
      currency: 'EUR',
      validityDuration: '3600',
      intendedPayer: { partyIdType: 'MSISDN', partyId: '46733123453' },
      payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
    });
    const cancel = await http(server.baseUrl, 'DELETE', `/collection/v2_0/invoice/${created.referenceId}`, {
      headers: intruder.headers({ 'X-Reference-Id': randomUUID() }),
    });
    expect(cancel.status).toBe(404);
    expect((await owner.get(`/v2_0/invoice/${created.referenceId}`)).body).toMatchObject({
      status: 'PENDING',
    });
  });
});
