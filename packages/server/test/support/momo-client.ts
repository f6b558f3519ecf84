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

export const newSubscriptionKey = (): string => randomBytes(16).toString('hex');

export interface SandboxCredentials {
  readonly subscriptionKey: string;
  readonly apiUserId: string;
  readonly apiKey: string;
}

/** The MTN sandbox sign-up: create an API user, then an API key for it. */
export async function provisionSandboxUser(
  baseUrl: string,
  options: { subscriptionKey?: string; providerCallbackHost?: string } = {},
): Promise<SandboxCredentials> {
  const subscriptionKey = options.subscriptionKey ?? newSubscriptionKey();
  const apiUserId = randomUUID();
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

/** A provisioned API user with a collection token, and the calls tests make with it. */
export class CollectionClient {
  readonly baseUrl: string;
  readonly credentials: SandboxCredentials;
  readonly accessToken: string;
  targetEnvironment = 'sandbox';

  private constructor(baseUrl: string, credentials: SandboxCredentials, accessToken: string) {
    this.baseUrl = baseUrl;
    this.credentials = credentials;
    this.accessToken = accessToken;
  }

  static async create(
    baseUrl: string,
    options: { subscriptionKey?: string; providerCallbackHost?: string } = {},
  ): Promise<CollectionClient> {
    const credentials = await provisionSandboxUser(baseUrl, options);
    const token = await http(baseUrl, 'POST', '/collection/token/', {
      headers: {
        Authorization: basicAuth(credentials.apiUserId, credentials.apiKey),
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    if (token.status !== 200) {
      throw new Error(`token answered ${token.status}: ${token.text}`);
    }
    return new CollectionClient(baseUrl, credentials, (token.body as { access_token: string }).access_token);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Authorization: `Bearer ${this.accessToken}`,
      'X-Target-Environment': this.targetEnvironment,
      'Ocp-Apim-Subscription-Key': this.credentials.subscriptionKey,
      ...extra,
    };
  }

  requestToPay(
    body: unknown,
    options: { referenceId?: string; callbackUrl?: string; headers?: Record<string, string> } = {},
  ) {
    const referenceId = options.referenceId ?? randomUUID();
    return http(this.baseUrl, 'POST', '/collection/v1_0/requesttopay', {
      headers: this.headers({
        'X-Reference-Id': referenceId,
        'Content-Type': 'application/json',
        ...(options.callbackUrl === undefined ? {} : { 'X-Callback-Url': options.callbackUrl }),
        ...options.headers,
      }),
      body,
    }).then((response) => ({ ...response, referenceId }));
  }

  getRequestToPay(referenceId: string) {
    return http(this.baseUrl, 'GET', `/collection/v1_0/requesttopay/${referenceId}`, {
      headers: this.headers(),
    });
  }

  /** Polls the status until it is no longer PENDING. */
  async waitForFinalStatus(referenceId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.getRequestToPay(referenceId);
      const body = response.body as Record<string, unknown>;
      if (body?.status !== 'PENDING' || Date.now() > deadline) {
        return body;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async balance(): Promise<{ availableBalance: string; currency: string }> {
    const response = await http(this.baseUrl, 'GET', '/collection/v1_0/account/balance', {
      headers: this.headers(),
    });
    return response.body as { availableBalance: string; currency: string };
  }
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
