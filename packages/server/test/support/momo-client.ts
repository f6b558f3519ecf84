/**
 * A deliberately plain MoMo client for black-box tests: raw fetch, the headers MTN's docs show, and the
 * sandbox provisioning steps. It asserts nothing itself; tests read status and body.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface MomoResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly body: unknown;
}

export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<MomoResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: options.headers ?? {},
    ...(options.rawBody !== undefined
      ? { body: options.rawBody }
      : options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const newSubscriptionKey = (): string => randomBytes(16).toString('hex');

export interface SandboxCredentials {
  readonly subscriptionKey: string;
  readonly apiUserId: string;
  readonly apiKey: string;
}

/** The MTN sandbox sign-up: create an API user, then an API key for it. */
export async function provisionSandboxUser(
  baseUrl: string,
  options: { subscriptionKey?: string; providerCallbackHost?: string; apiUserId?: string } = {},
): Promise<SandboxCredentials> {
  const subscriptionKey = options.subscriptionKey ?? newSubscriptionKey();
  const apiUserId = options.apiUserId ?? randomUUID();
  const created = await http(baseUrl, 'POST', '/v1_0/apiuser', {
    headers: {
      'X-Reference-Id': apiUserId,
      'Ocp-Apim-Subscription-Key': subscriptionKey,
      'Content-Type': 'application/json',
    },
    body: { providerCallbackHost: options.providerCallbackHost ?? '127.0.0.1' },
  });
  if (created.status !== 201) {
    throw new Error(`apiuser creation answered ${created.status}: ${created.text}`);
  }
  const key = await http(baseUrl, 'POST', `/v1_0/apiuser/${apiUserId}/apikey`, {
    headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
  });
  return { subscriptionKey, apiUserId, apiKey: (key.body as { apiKey: string }).apiKey };
}

export const basicAuth = (user: string, key: string): string =>
  `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

export type ProductName = 'collection' | 'disbursement' | 'remittance';

/**
 * A provisioned sandbox API user with an access token for one product, and the calls tests make with it.
 * Each client is its own partner (its own subscription key), so balances and reads are isolated.
 */
export class ProductClient {
  readonly baseUrl: string;
  readonly product: ProductName;
  readonly credentials: SandboxCredentials;
  readonly accessToken: string;
  targetEnvironment = 'sandbox';

  protected constructor(
    baseUrl: string,
    product: ProductName,
    credentials: SandboxCredentials,
    accessToken: string,
  ) {
    this.baseUrl = baseUrl;
    this.product = product;
    this.credentials = credentials;
    this.accessToken = accessToken;
  }

  static async forProduct(
    baseUrl: string,
    product: ProductName,
    options: { subscriptionKey?: string; providerCallbackHost?: string } = {},
  ): Promise<ProductClient> {
    const { credentials, accessToken } = await ProductClient.provision(baseUrl, product, options);
    return new ProductClient(baseUrl, product, credentials, accessToken);
  }

  /**
   * A client for credentials issued some other way than the sandbox sign-up (the operator API), with a token
   * for `product`; `targetEnvironment` is the API user's, sandbox unless given.
   */
  static async withCredentials(
    baseUrl: string,
    product: ProductName,
    credentials: SandboxCredentials,
    options: { targetEnvironment?: string } = {},
  ): Promise<ProductClient> {
    const client = new ProductClient(
      baseUrl,
      product,
      credentials,
      await ProductClient.issueAccessToken(baseUrl, product, credentials),
    );
    client.targetEnvironment = options.targetEnvironment ?? client.targetEnvironment;
    return client;
  }

  protected static async provision(
    baseUrl: string,
    product: ProductName,
    options: { subscriptionKey?: string; providerCallbackHost?: string },
  ): Promise<{ credentials: SandboxCredentials; accessToken: string }> {
    const credentials = await provisionSandboxUser(baseUrl, options);
    return { credentials, accessToken: await ProductClient.issueAccessToken(baseUrl, product, credentials) };
  }

  /** POST /{product}/token/ with the API user's Basic credentials; throws unless it answers 200. */
  private static async issueAccessToken(
    baseUrl: string,
    product: ProductName,
    credentials: SandboxCredentials,
  ): Promise<string> {
    const token = await http(baseUrl, 'POST', `/${product}/token/`, {
      headers: {
        Authorization: basicAuth(credentials.apiUserId, credentials.apiKey),
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    if (token.status !== 200) {
      throw new Error(`${product} token answered ${token.status}: ${token.text}`);
    }
    return (token.body as { access_token: string }).access_token;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Authorization: `Bearer ${this.accessToken}`,
      'X-Target-Environment': this.targetEnvironment,
      'Ocp-Apim-Subscription-Key': this.credentials.subscriptionKey,
      ...extra,
    };
  }

  /** POST /{product}{path} as a creation call: X-Reference-Id (generated unless given) and an optional callback URL. */
  create(
    path: string,
    body: unknown,
    options: { referenceId?: string; callbackUrl?: string; headers?: Record<string, string> } = {},
  ) {
    const referenceId = options.referenceId ?? randomUUID();
    return http(this.baseUrl, 'POST', `/${this.product}${path}`, {
      headers: this.headers({
        'X-Reference-Id': referenceId,
        'Content-Type': 'application/json',
        ...(options.callbackUrl === undefined ? {} : { 'X-Callback-Url': options.callbackUrl }),
        ...options.headers,
      }),
      body,
    }).then((response) => ({ ...response, referenceId }));
  }

  /** GET /{product}{path} with this client's headers. */
  get(path: string) {
    return http(this.baseUrl, 'GET', `/${this.product}${path}`, { headers: this.headers() });
  }

  /** Polls GET {statusPath}/{referenceId} until the status is no longer PENDING. */
  async waitForFinal(
    statusPath: string,
    referenceId: string,
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const body = (await this.get(`${statusPath}/${referenceId}`)).body as Record<string, unknown>;
      if (body?.status !== 'PENDING' || Date.now() > deadline) {
        return body;
      }
      await sleep(20);
    }
  }

  /** Waits until {statusPath}/{referenceId} is no longer PENDING, then answers its GET whole: status, headers, body. */
  async getFinal(statusPath: string, referenceId: string): Promise<MomoResponse> {
    await this.waitForFinal(statusPath, referenceId);
    return this.get(`${statusPath}/${referenceId}`);
  }

  async balance(): Promise<{ availableBalance: string; currency: string }> {
    return (await this.get('/v1_0/account/balance')).body as { availableBalance: string; currency: string };
  }
}

/** A Collection client with the request-to-pay shortcuts most collection tests use. */
export class CollectionClient extends ProductClient {
  static async create(
    baseUrl: string,
    options: { subscriptionKey?: string; providerCallbackHost?: string } = {},
  ): Promise<CollectionClient> {
    const { credentials, accessToken } = await ProductClient.provision(baseUrl, 'collection', options);
    return new CollectionClient(baseUrl, 'collection', credentials, accessToken);
  }

  requestToPay(
    body: unknown,
    options: { referenceId?: string; callbackUrl?: string; headers?: Record<string, string> } = {},
  ) {
    return this.create('/v1_0/requesttopay', body, options);
  }

  getRequestToPay(referenceId: string) {
    return this.get(`/v1_0/requesttopay/${referenceId}`);
  }

  waitForFinalStatus(referenceId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return this.waitForFinal('/v1_0/requesttopay', referenceId, timeoutMs);
  }
}

/** The 409 body MoMo answers for an X-Reference-Id the API user already used for a resource. */
export const DUPLICATE_REFERENCE_ID = {
  code: 'RESOURCE_ALREADY_EXIST',
  message: 'Duplicated reference id. Creation of resource failed.',
} as const;

/** The 404 body MoMo answers for a reference id the API user has no resource under. */
export const RESOURCE_NOT_FOUND = {
  code: 'RESOURCE_NOT_FOUND',
  message: 'Requested resource was not found.',
} as const;

/** A payout body (transfer, deposit) as MTN's docs show it. */
export function transferBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: '500',
    currency: 'EUR',
    externalId: '947354',
    payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
    payerMessage: 'Salary',
    payeeNote: 'November',
    ...overrides,
  };
}

/** A request-to-pay body as MTN's docs show it. */
export function requestToPayBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: '1500',
    currency: 'EUR',
    externalId: '6353636',
    payer: { partyIdType: 'MSISDN', partyId: '46733123499' },
    payerMessage: 'Pay for order 17',
    payeeNote: 'Order 17',
    ...overrides,
  };
}

/** A refund body (disbursement refund) of part of the collection `referenceIdToRefund`. */
export function refundBody(
  referenceIdToRefund: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    amount: '40',
    currency: 'EUR',
    externalId: 'R-17',
    payerMessage: 'Refund of order 17',
    payeeNote: 'Order 17 returned',
    referenceIdToRefund,
    ...overrides,
  };
}
