/**
 * The SDK against a small HTTP server that answers as MTN's platform, or what stands in front of it, sometimes
 * does: bodies that stall or are cut off, Retry-After, a captive portal's page, MTN's 500 `login_failed`.
 * OpenMoMo itself never answers so; these are wire shapes a client must survive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getSandboxUser,
  MomoAuthenticationError,
  MomoClient,
  type MomoClientOptions,
  MomoConnectionError,
  MomoRateLimitError,
  provisionSandboxUser,
} from '../src/index.js';
import { type Listening, listening } from './support/listening.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const CREDENTIALS = { subscriptionKey: 'key', apiUserId: crypto.randomUUID(), apiKey: 'secret' };
const REFERENCE_ID = crypto.randomUUID();

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const issueToken: Handler = (_request, response) =>
  json(response, 200, { access_token: 'token', token_type: 'access_token', expires_in: 3600 });

/** What a hotel's Wi-Fi answers before its login: 200, and a page. */
const captivePortal: Handler = (request, response) => {
  if (request.method === 'POST' && request.url === '/v1_0/apiuser') {
    response.writeHead(201).end();
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/html' });
  response.end('<html><body>Log in to the Wi-Fi</body></html>');
};

/** A signal its caller aborts after `ms`, as a user who gives up on a call does. */
function abortedAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/** The balance, as MoMo answers it. */
const balance: Handler = (_request, response) =>
  json(response, 200, { availableBalance: '1000', currency: 'EUR' });

describe('MomoClient against a server that misbehaves', () => {
  let server: Listening | undefined;
  afterEach(() => server?.close());

  /**
   * A fake MTN host: `token` answers POST /collection/token/, `answer` every other call, each in turn when
   * given several (the last one then answers the rest). `calls` lists what it was asked, token calls included.
   */
  async function fakeMtn(answers: Handler | Handler[], token: Handler = issueToken) {
    const calls: string[] = [];
    const queue = Array.isArray(answers) ? [...answers] : [answers];
    server = await listening(async (request, response) => {
      for await (const _ of request) {
        // The body is not needed; reading it lets the answer go out.
      }
      calls.push(`${request.method} ${request.url}`);
      if (request.url === '/collection/token/') {
        token(request, response);
        return;
      }
      const answer = (queue.length > 1 ? queue.shift() : queue[0]) as Handler;
      answer(request, response);
    });
    const baseUrl = server.url('');
    const client = (options: Partial<MomoClientOptions> = {}) =>
      new MomoClient({ baseUrl, targetEnvironment: 'sandbox', collection: CREDENTIALS, ...options });
    return { baseUrl, calls, client };
  }

  const callsTo = (calls: readonly string[], path: string) => calls.filter((call) => call.endsWith(path));

  it.each([
    [
      'stalls past the timeout',
      'TIMEOUT',
      ((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"status":');
      }) as Handler,
    ],
    [
      'is cut off by a closed connection',
      'CONNECTION_FAILED',
      ((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        response.write('{"status":');
        setTimeout(() => response.destroy(), 20);
      }) as Handler,
    ],
  ])(
    'retries a status read whose body %s, then throws MomoConnectionError %s',
    async (_name, code, answer) => {
      const mtn = await fakeMtn(answer);

      const read = mtn.client({ timeoutMs: 300, maxRetries: 1 }).collection.requestToPay.get(REFERENCE_ID);

      await expect(read).rejects.toBeInstanceOf(MomoConnectionError);
      await expect(read).rejects.toMatchObject({ code, referenceId: REFERENCE_ID });
      expect(callsTo(mtn.calls, REFERENCE_ID)).toHaveLength(2);
    },
  );

  it.each([
    ['a 429 with Retry-After in seconds', 429, () => '1'],
    ['a 429 with Retry-After as an HTTP date', 429, () => new Date(Date.now() + 2000).toUTCString()],
    ['a 503 with Retry-After in seconds', 503, () => '1'],
  ])('waits as long as %s asks before asking again', async (_name, status, retryAfter) => {
    const mtn = await fakeMtn([
      (_request, response) =>
        json(response, status, { message: 'Try again later' }, { 'Retry-After': retryAfter() }),
      balance,
    ]);
    const startedMs = Date.now();

    await expect(mtn.client().collection.balance()).resolves.toEqual({
      availableBalance: '1000',
      currency: 'EUR',
    });

    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(1000);
    expect(callsTo(mtn.calls, '/account/balance')).toHaveLength(2);
  });

  it.each(['1.5', '-1'])(
    'reads a Retry-After of %s, neither whole seconds nor a date, as not given',
    async (retryAfter) => {
      const mtn = await fakeMtn((_request, response) =>
        json(
          response,
          429,
          { statusCode: 429, message: 'Rate limit is exceeded.' },
          { 'Retry-After': retryAfter },
        ),
      );

      const read = mtn.client({ maxRetries: 0 }).collection.balance();

      await expect(read).rejects.toBeInstanceOf(MomoRateLimitError);
      await expect(read).rejects.toMatchObject({ retryAfterMs: undefined });
    },
  );

  it('ends a wait with ABORTED while the access token it needs is still being fetched', async () => {
    const mtn = await fakeMtn(balance, () => {
      // The token endpoint never answers.
    });
    const signal = abortedAfter(100);
    const startedMs = Date.now();

    await expect(
      mtn.client({ timeoutMs: 5000 }).collection.requestToPay.waitForFinalStatus(REFERENCE_ID, { signal }),
    ).rejects.toMatchObject({ name: 'MomoConnectionError', code: 'ABORTED', referenceId: REFERENCE_ID });
    expect(Date.now() - startedMs).toBeLessThan(2000);
  });

  it('throws MomoRateLimitError with retryAfterMs at once when Retry-After asks for more than a minute', async () => {
    const mtn = await fakeMtn((_request, response) =>
      json(response, 429, { statusCode: 429, message: 'Rate limit is exceeded.' }, { 'Retry-After': '120' }),
    );
    const startedMs = Date.now();

    const read = mtn.client().collection.balance();

    await expect(read).rejects.toBeInstanceOf(MomoRateLimitError);
    await expect(read).rejects.toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(Date.now() - startedMs).toBeLessThan(1000);
    expect(callsTo(mtn.calls, '/account/balance')).toHaveLength(1);
  });

  it('throws MomoRateLimitError carrying the Retry-After of the last 429 once the retries are spent', async () => {
    const mtn = await fakeMtn((_request, response) =>
      json(response, 429, { statusCode: 429, message: 'Rate limit is exceeded.' }, { 'Retry-After': '5' }),
    );

    await expect(mtn.client({ maxRetries: 0 }).collection.balance()).rejects.toMatchObject({
      name: 'MomoRateLimitError',
      retryAfterMs: 5000,
    });
  });

  it("throws MomoAuthenticationError naming the likely cause for MTN's 500 login_failed, without retrying it", async () => {
    const mtn = await fakeMtn(balance, (_request, response) =>
      json(response, 500, { error: 'login_failed' }),
    );

    const read = mtn.client().collection.balance();

    await expect(read).rejects.toBeInstanceOf(MomoAuthenticationError);
    await expect(read).rejects.toMatchObject({
      status: 500,
      code: 'login_failed',
      message: expect.stringMatching(
        /API user, its API key and the subscription key .* do not belong together/,
      ),
    });
    expect(callsTo(mtn.calls, '/collection/token/')).toHaveLength(1);
  });

  it.each([
    ['a balance', (momo: MomoClient) => momo.collection.balance()],
    ['a status read', (momo: MomoClient) => momo.collection.requestToPay.get(REFERENCE_ID)],
    ['an account holder check', (momo: MomoClient) => momo.collection.isAccountHolderActive('msisdn', '1')],
    ["an account holder's basic info", (momo: MomoClient) => momo.collection.basicUserInfo('46733123499')],
    [
      'a consent request',
      (momo: MomoClient) => momo.collection.bcAuthorize({ msisdn: '1', scope: 'profile' }),
    ],
    ['a consent token', (momo: MomoClient) => momo.collection.consentToken({ authReqId: 'request' })],
    ["a holder's claims", (momo: MomoClient) => momo.collection.userInfo('consent-token')],
  ])('throws UNEXPECTED_RESPONSE for %s answered with a page that is not MoMo JSON', async (_name, call) => {
    const mtn = await fakeMtn(captivePortal);

    await expect(call(mtn.client())).rejects.toMatchObject({
      name: 'MomoError',
      status: 200,
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('Log in to the Wi-Fi'),
    });
  });

  it.each([
    [
      'provisions',
      (baseUrl: string) =>
        provisionSandboxUser({ baseUrl, subscriptionKey: 'key', providerCallbackHost: 'h' }),
    ],
    [
      'reads',
      (baseUrl: string) => getSandboxUser({ baseUrl, subscriptionKey: 'key', apiUserId: REFERENCE_ID }),
    ],
  ])(
    'throws UNEXPECTED_RESPONSE when it %s a sandbox user and is answered with a page',
    async (_name, call) => {
      const mtn = await fakeMtn(captivePortal);

      await expect(call(mtn.baseUrl)).rejects.toMatchObject({ status: 200, code: 'UNEXPECTED_RESPONSE' });
    },
  );

  it('stops waitForFinalStatus at once when a status read is answered without a status, instead of reading PENDING', async () => {
    const mtn = await fakeMtn(captivePortal);

    await expect(
      mtn
        .client()
        .collection.requestToPay.waitForFinalStatus(REFERENCE_ID, { timeoutMs: 1000, intervalMs: 20 }),
    ).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', referenceId: REFERENCE_ID });
    expect(callsTo(mtn.calls, REFERENCE_ID)).toHaveLength(1);
  });

  it('aborts the status read under way, without retrying it, when the signal of waitForFinalStatus aborts', async () => {
    const mtn = await fakeMtn(() => {
      // Never answered: only the abort ends the read.
    });
    const signal = abortedAfter(100);
    const startedMs = Date.now();

    const waiting = mtn
      .client({ timeoutMs: 5000 })
      .collection.requestToPay.waitForFinalStatus(REFERENCE_ID, { signal });

    await expect(waiting).rejects.toBeInstanceOf(MomoConnectionError);
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED', referenceId: REFERENCE_ID });
    expect(Date.now() - startedMs).toBeLessThan(2000);
    expect(callsTo(mtn.calls, REFERENCE_ID)).toHaveLength(1);
  });

  it('aborts a creation under way, naming the reference id it was sent with', async () => {
    const mtn = await fakeMtn(() => {
      // Never answered: only the abort ends the call.
    });
    const signal = abortedAfter(100);

    const creating = mtn.client({ timeoutMs: 5000 }).collection.requestToPay(
      {
        amount: '5',
        currency: 'EUR',
        externalId: '1',
        payer: { partyIdType: 'MSISDN', partyId: '46733123499' },
        payerMessage: '',
        payeeNote: '',
      },
      { referenceId: REFERENCE_ID, signal: signal },
    );

    await expect(creating).rejects.toMatchObject({ code: 'ABORTED', referenceId: REFERENCE_ID });
    expect(callsTo(mtn.calls, '/collection/v1_0/requesttopay')).toHaveLength(1);
  });

  it.each([
    [
      'a status read',
      (client: MomoClient, signal: AbortSignal) =>
        client.collection.requestToPay.get(REFERENCE_ID, { signal }),
    ],
    [
      'balance',
      (client: MomoClient, signal: AbortSignal) => client.collection.balance(undefined, { signal }),
    ],
    [
      'isAccountHolderActive',
      (client: MomoClient, signal: AbortSignal) =>
        client.collection.isAccountHolderActive('msisdn', '46733123450', { signal }),
    ],
    [
      'basicUserInfo',
      (client: MomoClient, signal: AbortSignal) => client.collection.basicUserInfo('46733123450', { signal }),
    ],
    [
      'userInfo',
      (client: MomoClient, signal: AbortSignal) => client.collection.userInfo('consent-token', { signal }),
    ],
  ])('aborts %s under way when its signal aborts', async (_call, call) => {
    const mtn = await fakeMtn(() => {
      // Never answered: only the abort ends the call.
    });
    const signal = abortedAfter(100);
    const startedMs = Date.now();

    await expect(call(mtn.client({ timeoutMs: 5000 }), signal)).rejects.toMatchObject({
      name: 'MomoConnectionError',
      code: 'ABORTED',
    });
    expect(Date.now() - startedMs).toBeLessThan(2000);
  });

  it('aborts the wait before a retry when the signal of waitForFinalStatus aborts', async () => {
    const mtn = await fakeMtn((_request, response) =>
      json(response, 503, { message: 'Service unavailable' }, { 'Retry-After': '30' }),
    );
    const signal = abortedAfter(100);
    const startedMs = Date.now();

    await expect(
      mtn.client().collection.requestToPay.waitForFinalStatus(REFERENCE_ID, { signal }),
    ).rejects.toMatchObject({ name: 'MomoConnectionError', code: 'ABORTED' });
    expect(Date.now() - startedMs).toBeLessThan(2000);
    expect(callsTo(mtn.calls, REFERENCE_ID)).toHaveLength(1);
  });

  it('reads a bc-authorize answer without expires_in as the default five minutes to answer in', async () => {
    const mtn = await fakeMtn((_request, response) =>
      json(response, 200, { auth_req_id: 'request', interval: 1 }),
    );

    await expect(
      mtn.client().collection.bcAuthorize({ msisdn: '46733123499', scope: 'profile' }),
    ).resolves.toEqual({ authReqId: 'request', intervalSeconds: 1, expiresInSeconds: 300 });
  });
});
