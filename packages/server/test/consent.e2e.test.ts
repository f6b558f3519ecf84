/** The consent flow on every product: bc-authorize → oauth2/token (CIBA) → oauth2/v1_0/userinfo, and refresh. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { basicAuth, http, ProductClient, type ProductName, sleep } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const PRODUCTS: ProductName[] = ['collection', 'disbursement', 'remittance'];

describe.each(ENGINES)('consent flow on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  /** A form body of the fields that have a value. */
  const form = (fields: Record<string, string | undefined>) =>
    new URLSearchParams(
      Object.entries(fields).flatMap(([name, value]): [string, string][] =>
        value === undefined ? [] : [[name, value]],
      ),
    ).toString();

  async function authorize(
    client: ProductClient,
    msisdn: string,
    extra: Record<string, string | undefined> = {},
  ) {
    return http(server.baseUrl, 'POST', `/${client.product}/v1_0/bc-authorize`, {
      headers: client.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      rawBody: form({
        login_hint: `ID:${msisdn}/MSISDN`,
        scope: 'profile',
        access_type: 'offline',
        ...extra,
      }),
    });
  }

  function redeem(client: ProductClient, fields: Record<string, string>) {
    return http(server.baseUrl, 'POST', `/${client.product}/oauth2/token/`, {
      headers: {
        Authorization: basicAuth(client.credentials.apiUserId, client.credentials.apiKey),
        'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      rawBody: form(fields),
    });
  }

  function userInfo(client: ProductClient, consentToken: string) {
    return http(server.baseUrl, 'GET', `/${client.product}/oauth2/v1_0/userinfo`, {
      headers: client.headers({ Authorization: `Bearer ${consentToken}` }),
    });
  }

  it.each(PRODUCTS)(
    'on %s, gives the holder’s claims to a partner the holder consented to',
    async (product) => {
      const client = await ProductClient.forProduct(server.baseUrl, product);
      await admin(server.baseUrl, 'PUT', '/account-holders/MSISDN/256772000111', {
        givenName: 'Amina',
        familyName: 'Okello',
        locale: 'sw',
      });
      const authorized = await authorize(client, '256772000111');
      expect(authorized.status).toBe(200);
      expect(authorized.body).toEqual({ auth_req_id: expect.any(String), interval: 5, expires_in: 3600 });
      const token = await redeem(client, {
        grant_type: 'urn:openid:params:grant-type:ciba',
        auth_req_id: (authorized.body as { auth_req_id: string }).auth_req_id,
      });
      expect(token.status).toBe(200);
      expect(token.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'profile',
        refresh_token: expect.any(String),
      });
      const info = await userInfo(client, (token.body as { access_token: string }).access_token);
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({
        sub: '256772000111',
        given_name: 'Amina',
        family_name: 'Okello',
        name: 'Amina Okello',
        locale: 'sw',
      });
    },
  );

  it('refreshes a consent token with its refresh token', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = ((await authorize(client, '256772000222')).body as { auth_req_id: string }).auth_req_id;
    const first = await redeem(client, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: authReqId,
    });
    const refreshed = await redeem(client, {
      grant_type: 'refresh_token',
      refresh_token: (first.body as { refresh_token: string }).refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect((await userInfo(client, (refreshed.body as { access_token: string }).access_token)).status).toBe(
      200,
    );
  });

  it("refuses a consent token presented with another partner's subscription key", async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const stranger = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = ((await authorize(client, '256772000334')).body as { auth_req_id: string }).auth_req_id;
    const issued = (
      await redeem(client, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId })
    ).body as { access_token: string };

    expect((await userInfo(client, issued.access_token)).status).toBe(200);
    expect((await userInfo(stranger, issued.access_token)).status).toBe(401);
  });

  it('refuses the consent token and the refresh token of an API user revoked since they were issued', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = ((await authorize(client, '256772000333')).body as { auth_req_id: string }).auth_req_id;
    const issued = (
      await redeem(client, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId })
    ).body as { access_token: string; refresh_token: string };

    await admin(server.baseUrl, 'POST', `/api-users/${client.credentials.apiUserId}/revoke`);

    expect((await userInfo(client, issued.access_token)).status).toBe(401);
    expect(
      (await redeem(client, { grant_type: 'refresh_token', refresh_token: issued.refresh_token })).status,
    ).toBe(401);
  });

  it('answers access_denied when the holder rejects (test number 46733123451)', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = ((await authorize(client, '46733123451')).body as { auth_req_id: string }).auth_req_id;
    const token = await redeem(client, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: authReqId,
    });
    expect(token.status).toBe(400);
    expect(token.body).toMatchObject({ error: 'access_denied' });
  });

  it("refuses to redeem another API user's consent request", async () => {
    const asker = await ProductClient.forProduct(server.baseUrl, 'collection');
    const thief = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = ((await authorize(asker, '256772000333')).body as { auth_req_id: string }).auth_req_id;
    const token = await redeem(thief, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: authReqId,
    });
    expect(token.status).toBe(400);
    expect(token.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses wrong API user credentials at oauth2/token with 401', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const response = await http(server.baseUrl, 'POST', '/collection/oauth2/token/', {
      headers: {
        Authorization: basicAuth(client.credentials.apiUserId, 'f'.repeat(32)),
        'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      rawBody: form({ grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: 'x' }),
    });
    expect(response.status).toBe(401);
  });

  it("refuses a bc-authorize whose X-Callback-Url is not on the API user's host, as every creation does", async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const response = await http(server.baseUrl, 'POST', '/collection/v1_0/bc-authorize', {
      headers: client.headers({
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Callback-Url': 'http://elsewhere.example/consent',
      }),
      rawBody: form({ login_hint: 'ID:256772000555/MSISDN', scope: 'profile', access_type: 'offline' }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_CALLBACK_URL_HOST' });
  });

  it('answers userinfo without X-Target-Environment with 400, as every product call does', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authorized = await authorize(client, '256772000666');
    const token = await redeem(client, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: (authorized.body as { auth_req_id: string }).auth_req_id,
    });
    const { 'X-Target-Environment': _left, ...headers } = client.headers({
      Authorization: `Bearer ${(token.body as { access_token: string }).access_token}`,
    });
    const response = await http(server.baseUrl, 'GET', '/collection/oauth2/v1_0/userinfo', { headers });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 'BAD_REQUEST',
      message: 'X-Target-Environment header is required.',
    });
  });

  it('refuses an ordinary access token at userinfo', async () => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const response = await userInfo(client, client.accessToken);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401 });
  });

  it.each([
    ['a login_hint that is not ID:{msisdn}/MSISDN', { login_hint: '46733123499' }, 'BAD_REQUEST'],
    ['an empty scope', { scope: '' }, 'MISSING_SCOPE_INSTRUCTION'],
    ['no scope at all', { scope: undefined }, 'MISSING_SCOPE_INSTRUCTION'],
    ['an unknown access_type', { access_type: 'forever' }, 'BAD_REQUEST'],
  ])('refuses %s with 400', async (_name, fields, code) => {
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const response = await authorize(client, '256772000444', fields);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code });
  });
});

describe.each(ENGINES)('consent asked in person on %s', (engine) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) {
      await server.close();
    }
  });
  const started = async (config: Parameters<typeof startTestServer>[1] = {}) => {
    const server = await startTestServer(engine, config);
    servers.push(server);
    return server;
  };
  let holderNumber = 256772100000;
  /** A holder who answers on their phone, with a PIN. */
  async function interactiveHolder(server: TestServer): Promise<string> {
    holderNumber += 1;
    const msisdn = String(holderNumber);
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, {
      approvalMode: 'INTERACTIVE',
      pin: '2468',
      givenName: 'Amina',
    });
    return msisdn;
  }
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  async function authorize(server: TestServer, client: ProductClient, msisdn: string): Promise<string> {
    const answer = await http(server.baseUrl, 'POST', `/${client.product}/v1_0/bc-authorize`, {
      headers: client.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      rawBody: form({ login_hint: `ID:${msisdn}/MSISDN`, scope: 'profile', access_type: 'offline' }),
    });
    expect(answer.status).toBe(200);
    return (answer.body as { auth_req_id: string }).auth_req_id;
  }
  function redeem(server: TestServer, client: ProductClient, authReqId: string) {
    return http(server.baseUrl, 'POST', `/${client.product}/oauth2/token/`, {
      headers: {
        Authorization: basicAuth(client.credentials.apiUserId, client.credentials.apiKey),
        'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      rawBody: form({ grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId }),
    });
  }
  async function prompts(server: TestServer, msisdn: string) {
    return (await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${msisdn}/pending`)).body as {
      transactionId: string;
      kind: string;
      scope: string;
    }[];
  }

  it('answers authorization_pending until the holder approves with the PIN, then gives the consent token', async () => {
    const server = await started();
    const client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
    const msisdn = await interactiveHolder(server);
    const authReqId = await authorize(server, client, msisdn);

    const waiting = await redeem(server, client, authReqId);
    expect(waiting.status).toBe(400);
    expect(waiting.body).toMatchObject({ error: 'authorization_pending' });
    const [prompt] = await prompts(server, msisdn);
    expect(prompt).toMatchObject({ kind: 'CONSENT', scope: 'profile' });
    const wrongPin = await admin(server.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/approve`, {
      pin: '0000',
    });
    expect(wrongPin.status).toBe(403);
    expect((await redeem(server, client, authReqId)).body).toMatchObject({ error: 'authorization_pending' });
    await admin(server.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/approve`, { pin: '2468' });

    const token = await redeem(server, client, authReqId);
    expect(token.status).toBe(200);
    const info = await http(server.baseUrl, 'GET', '/disbursement/oauth2/v1_0/userinfo', {
      headers: client.headers({
        Authorization: `Bearer ${(token.body as { access_token: string }).access_token}`,
      }),
    });
    expect(info.body).toMatchObject({ sub: msisdn, given_name: 'Amina' });
  });

  it('answers access_denied once the holder rejects, and asks nothing more', async () => {
    const server = await started();
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const msisdn = await interactiveHolder(server);
    const authReqId = await authorize(server, client, msisdn);
    const [prompt] = await prompts(server, msisdn);

    await admin(server.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/reject`);

    const token = await redeem(server, client, authReqId);
    expect(token.status).toBe(400);
    expect(token.body).toMatchObject({ error: 'access_denied' });
    expect(await prompts(server, msisdn)).toEqual([]);
  });

  it('answers access_denied to a holder who approved and was blocked since', async () => {
    const server = await started();
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const msisdn = await interactiveHolder(server);
    const authReqId = await authorize(server, client, msisdn);
    const [prompt] = await prompts(server, msisdn);
    await admin(server.baseUrl, 'POST', `/transactions/${prompt?.transactionId}/approve`, { pin: '2468' });

    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, { status: 'BLOCKED' });

    expect((await redeem(server, client, authReqId)).body).toMatchObject({ error: 'access_denied' });
  });

  it('answers expired_token when the holder does not answer within APPROVAL_TIMEOUT_MS', async () => {
    const server = await started({ config: { approvalTimeoutMs: 200 } });
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const msisdn = await interactiveHolder(server);
    const authReqId = await authorize(server, client, msisdn);

    let token = await redeem(server, client, authReqId);
    for (let i = 0; i < 100 && (token.body as { error?: string }).error === 'authorization_pending'; i++) {
      await sleep(20);
      token = await redeem(server, client, authReqId);
    }
    expect(token.status).toBe(400);
    expect(token.body).toMatchObject({ error: 'expired_token' });
  });

  it("asks the sandbox's interactive test number 46733123470 in person", async () => {
    const server = await started();
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = await authorize(server, client, '46733123470');

    expect((await redeem(server, client, authReqId)).body).toMatchObject({ error: 'authorization_pending' });
    expect(await prompts(server, '46733123470')).toEqual([expect.objectContaining({ kind: 'CONSENT' })]);
  });

  it('gives consent at once, as before, for a holder who does not answer in person', async () => {
    const server = await started();
    const client = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authReqId = await authorize(server, client, '256772199999');

    expect((await redeem(server, client, authReqId)).status).toBe(200);
    expect(await prompts(server, '256772199999')).toEqual([]);
  });
});
