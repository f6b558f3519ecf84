/**
 * Calls of one product: the subscription key, the cached bearer token and X-Target-Environment on every
 * call, and one new token (exactly one) when the server refuses the cached one.
 */
import type { Product } from '@openmomo/contract';
import { MomoAuthenticationError } from './errors.js';
import { asRecord, asText } from './parsing.js';
import { TokenCache } from './token-cache.js';
import { type HttpAnswer, type HttpCall, type Transport, unlessAborted } from './transport.js';

/** A product's credentials: its subscription key, and an API user with its key. */
export interface ProductCredentials {
  readonly subscriptionKey: string;
  readonly apiUserId: string;
  readonly apiKey: string;
}

export interface ProductApiOptions {
  readonly product: Product;
  readonly credentials: ProductCredentials;
  readonly targetEnvironment: string;
  readonly transport: Transport;
  readonly tokenRefreshMarginMs: number;
}

export class ProductApi {
  readonly product: Product;
  readonly targetEnvironment: string;
  readonly #options: ProductApiOptions;
  readonly #tokens: TokenCache;

  constructor(options: ProductApiOptions) {
    this.product = options.product;
    this.targetEnvironment = options.targetEnvironment;
    this.#options = options;
    this.#tokens = new TokenCache({
      issue: () => this.#issueToken(),
      refreshMarginMs: options.tokenRefreshMarginMs,
    });
  }

  /** A product call with its authentication; path is relative to /{product}. */
  async call(call: HttpCall): Promise<HttpAnswer> {
    const what = `${call.method} /${this.product}${call.path}`;
    const token = await unlessAborted(this.#tokens.get(), call.signal, what, call.referenceId);
    // A call that brings its own Authorization (userinfo's consent token) was not refused for the cached token.
    const ownCredentials = call.headers?.Authorization !== undefined;
    return this.#send(
      {
        ...call,
        // A refused token (expired early, revoked, server restarted with a new secret): one new token, once.
        ...(ownCredentials
          ? {}
          : {
              reauthenticate: async () => {
                this.#tokens.invalidate(token);
                const fresh = await unlessAborted(this.#tokens.get(), call.signal, what, call.referenceId);
                return { Authorization: `Bearer ${fresh}` };
              },
            }),
      },
      token,
    );
  }

  /** A call authenticated with the subscription key and Basic API user credentials (tokens, OAuth2). */
  callWithBasic(call: HttpCall): Promise<HttpAnswer> {
    const { credentials } = this.#options;
    return this.#options.transport.send({
      ...call,
      path: `/${this.product}${call.path}`,
      headers: {
        Authorization: `Basic ${btoa(`${credentials.apiUserId}:${credentials.apiKey}`)}`,
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
        ...call.headers,
      },
    });
  }

  #send(call: HttpCall, token: string): Promise<HttpAnswer> {
    return this.#options.transport.send({
      ...call,
      path: `/${this.product}${call.path}`,
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Target-Environment': this.targetEnvironment,
        'Ocp-Apim-Subscription-Key': this.#options.credentials.subscriptionKey,
        ...call.headers,
      },
    });
  }

  async #issueToken() {
    const answer = await this.callWithBasic({ method: 'POST', path: '/token/', idempotent: true });
    const body = asRecord(answer.body);
    const accessToken = asText(body.access_token);
    if (accessToken === undefined) {
      throw new MomoAuthenticationError({
        status: answer.status,
        code: 'NO_TOKEN',
        message: 'The token endpoint answered without access_token.',
        raw: answer.body,
      });
    }
    return { accessToken, expiresInSeconds: Number(asText(body.expires_in) ?? 3600) };
  }
}
