/**
 * `MomoClient`: the MoMo Open API namespaced like the API (`momo.collection.requestToPay(…)`,
 * `momo.disbursement.transfer(…)`, `momo.remittance.transfer(…)`), against OpenMoMo or any MTN host.
 */
import { MomoError } from './errors.js';
import { ProductApi, type ProductCredentials } from './product-api.js';
import { type CollectionApi, collectionApi } from './resources/collection.js';
import { type DisbursementApi, disbursementApi } from './resources/disbursement.js';
import { type RemittanceApi, remittanceApi } from './resources/remittance.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { type Fetch, Transport } from './transport.js';

/** MTN's sandbox; production hosts are per country (e.g. https://proxy.momoapi.mtn.com). */
export const MTN_SANDBOX_BASE_URL = 'https://sandbox.momodeveloper.mtn.com';

export interface MomoClientOptions {
  /** OpenMoMo (e.g. http://localhost:8080), MTN_SANDBOX_BASE_URL or a production host. */
  readonly baseUrl: string;
  /** X-Target-Environment: `sandbox`, `mtnuganda`, … — the API users' environment. */
  readonly targetEnvironment: string;
  readonly collection?: ProductCredentials;
  readonly disbursement?: ProductCredentials;
  readonly remittance?: ProductCredentials;
  /** One attempt's deadline (default 30 s). */
  readonly timeoutMs?: number;
  /** Retries of idempotent calls after a connection error or a 5xx (default 2). */
  readonly maxRetries?: number;
  /** Renew a token this long before it expires (default: 10 minutes, as MTN advises, or a quarter of its life if shorter). */
  readonly tokenRefreshMarginMs?: number;
  /** Another fetch (a proxy agent, a test double); Node's global fetch by default. */
  readonly fetch?: Fetch;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_TOKEN_REFRESH_MARGIN_MS = 10 * 60_000;

export class MomoClient {
  readonly #collection: CollectionApi | undefined;
  readonly #disbursement: DisbursementApi | undefined;
  readonly #remittance: RemittanceApi | undefined;

  constructor(options: MomoClientOptions) {
    const transport = createTransport(options);
    const api = (
      product: 'collection' | 'disbursement' | 'remittance',
      credentials: ProductCredentials | undefined,
    ) =>
      credentials === undefined
        ? undefined
        : new ProductApi({
            product,
            credentials,
            targetEnvironment: options.targetEnvironment,
            transport,
            tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? DEFAULT_TOKEN_REFRESH_MARGIN_MS,
          });
    const collection = api('collection', options.collection);
    const disbursement = api('disbursement', options.disbursement);
    const remittance = api('remittance', options.remittance);
    this.#collection = collection && collectionApi(collection);
    this.#disbursement = disbursement && disbursementApi(disbursement);
    this.#remittance = remittance && remittanceApi(remittance);
  }

  get collection(): CollectionApi {
    return this.#collection ?? notConfigured('collection');
  }

  get disbursement(): DisbursementApi {
    return this.#disbursement ?? notConfigured('disbursement');
  }

  get remittance(): RemittanceApi {
    return this.#remittance ?? notConfigured('remittance');
  }
}

function notConfigured(product: string): never {
  throw new MomoError({
    status: null,
    code: 'NOT_CONFIGURED',
    message: `No ${product} credentials were given to MomoClient.`,
  });
}

export function createTransport(
  options: Pick<MomoClientOptions, 'baseUrl' | 'timeoutMs' | 'maxRetries' | 'fetch'>,
): Transport {
  return new Transport({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: {
      ...DEFAULT_RETRY_POLICY,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    },
    fetch: options.fetch ?? fetch,
  });
}
