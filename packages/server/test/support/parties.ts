/**
 * The parties of a payment as tests set them up: account holders (payers and payees, through the operator
 * API) and partners with more than one product.
 */
import { admin } from './admin-client.js';
import { ProductClient, type ProductName, requestToPayBody, type SandboxCredentials } from './momo-client.js';

/** A Ugandan MSISDN nobody else in the run is likely to use: an ordinary sandbox account holder. */
export const uniqueMsisdn = (): string =>
  `2567${Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, '0')}`;

/** A party (payer, payee) identified by its MSISDN. */
export const msisdnParty = (partyId: string) => ({ partyIdType: 'MSISDN', partyId });

/** A new account holder (registered on the operator API with `names`) whose wallet holds exactly `amount` EUR. */
export async function holderWithWallet(
  baseUrl: string,
  amount: string,
  names: { givenName: string; familyName?: string } = { givenName: 'Wallet', familyName: 'Holder' },
): Promise<string> {
  const msisdn = uniqueMsisdn();
  await admin(baseUrl, 'PUT', `/account-holders/MSISDN/${msisdn}`, names);
  await admin(baseUrl, 'POST', `/account-holders/MSISDN/${msisdn}/fund`, { amount, currency: 'EUR' });
  return msisdn;
}

/** One partner, one API user, and a client per product, each with that product's subscription key. */
export type SamePartner<P extends ProductName> = { readonly partnerId: string } & {
  readonly [K in P]: ProductClient;
};

/**
 * A partner created on the operator API with a subscription key for each of `products` and one API user (in
 * `targetEnvironment`, sandbox unless given) that uses them all: unlike `ProductClient.forProduct`, whose
 * sandbox sign-up makes a new partner per client, the clients returned here are one partner's.
 */
export async function samePartnerClients<const P extends ProductName>(
  baseUrl: string,
  products: readonly P[],
  options: { name?: string; targetEnvironment?: string } = {},
): Promise<SamePartner<P>> {
  const { name = 'Shop with several products', targetEnvironment = 'sandbox' } = options;
  const partner = await admin(baseUrl, 'POST', '/partners', { name });
  if (partner.status !== 201) {
    throw new Error(`partner creation answered ${partner.status}: ${partner.text}`);
  }
  const partnerId = (partner.body as { id: string }).id;
  const user = (
    await admin(baseUrl, 'POST', `/partners/${partnerId}/api-users`, {
      providerCallbackHost: '127.0.0.1',
      targetEnvironment,
    })
  ).body as { apiUserId: string; apiKey: string };
  const clients: Record<string, ProductClient> = {};
  for (const product of products) {
    const key = await admin(baseUrl, 'POST', `/partners/${partnerId}/subscription-keys`, { product });
    const credentials: SandboxCredentials = {
      subscriptionKey: (key.body as { subscriptionKey: string }).subscriptionKey,
      apiUserId: user.apiUserId,
      apiKey: user.apiKey,
    };
    clients[product] = await ProductClient.withCredentials(baseUrl, product, credentials, {
      targetEnvironment,
    });
  }
  return { partnerId, ...clients } as SamePartner<P>;
}

/**
 * Another API user of the partner, signed in to `product` with `subscriptionKey` (one of the partner's), or with a
 * new key of the partner's for that product.
 */
export async function anotherApiUserOf(
  baseUrl: string,
  partnerId: string,
  product: ProductName,
  options: { subscriptionKey?: string; targetEnvironment?: string } = {},
): Promise<ProductClient> {
  const { targetEnvironment = 'sandbox' } = options;
  const user = (
    await admin(baseUrl, 'POST', `/partners/${partnerId}/api-users`, {
      providerCallbackHost: '127.0.0.1',
      targetEnvironment,
    })
  ).body as { apiUserId: string; apiKey: string };
  const subscriptionKey =
    options.subscriptionKey ??
    (
      (await admin(baseUrl, 'POST', `/partners/${partnerId}/subscription-keys`, { product })).body as {
        subscriptionKey: string;
      }
    ).subscriptionKey;
  return ProductClient.withCredentials(
    baseUrl,
    product,
    { subscriptionKey, apiUserId: user.apiUserId, apiKey: user.apiKey },
    { targetEnvironment },
  );
}

/** A request to pay of `amount` EUR from `payer` on `client`, waited for until it is no longer PENDING. */
export async function collect(client: ProductClient, payer: string, amount: string) {
  const created = await client.create(
    '/v1_0/requesttopay',
    requestToPayBody({ amount, payer: msisdnParty(payer) }),
  );
  const final = await client.waitForFinal('/v1_0/requesttopay', created.referenceId);
  return { referenceId: created.referenceId, final };
}

/** A SUCCESSFUL collection of `amount` EUR on `partner.collection` from a payer whose wallet held exactly that. */
export async function successfulCollection(
  partner: SamePartner<'collection'>,
  baseUrl: string,
  amount: string,
): Promise<{ payer: string; referenceId: string }> {
  const payer = await holderWithWallet(baseUrl, amount, { givenName: 'Refund', familyName: 'Payer' });
  const { referenceId, final } = await collect(partner.collection, payer, amount);
  if (final.status !== 'SUCCESSFUL') {
    throw new Error(`the collection to refund ended ${JSON.stringify(final)}`);
  }
  return { payer, referenceId };
}
