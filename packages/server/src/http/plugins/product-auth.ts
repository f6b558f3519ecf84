/**
 * The API gateway's checks, as hooks scoped to one product's routes (Fastify encapsulation): the
 * subscription key of that product, then — on every call but the token call — the bearer token of that
 * product and an X-Target-Environment the API user may use.
 */
import type { Product } from '@openmomo/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SubscriptionKeyCheck, TokenCheck } from '../../services/access-service.js';
import type { AppServices } from '../app-services.js';
import { type GatewayRefusalKind, sendFailure, sendGatewayRefusal } from '../momo-error-mapping.js';

const TOKEN_REFUSALS: Record<Exclude<TokenCheck['kind'], 'accepted'>, GatewayRefusalKind> = {
  missing: 'missing-access-token',
  invalid: 'invalid-access-token',
  'wrong-product': 'invalid-access-token',
  expired: 'expired-access-token',
};

function subscriptionKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['ocp-apim-subscription-key'];
  if (typeof header === 'string') {
    return header.trim();
  }
  // Azure API Management also takes the key as a query parameter.
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.['subscription-key'] === 'string' ? query['subscription-key'] : undefined;
}

/** Requires a subscription key of `product` (null: of any product, as the provisioning API does). */
export function requireSubscriptionKey(
  app: FastifyInstance,
  services: Pick<AppServices, 'access'>,
  product: Product | null,
): void {
  app.decorateRequest('partnerId', '');
  // A callback hook: a key already in memory is checked without a promise; only a miss waits on the database.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const apply = (check: SubscriptionKeyCheck): void => {
      if (check.kind === 'accepted') {
        request.partnerId = check.partnerId;
        done();
      } else {
        sendGatewayRefusal(
          reply,
          check.kind === 'missing' ? 'missing-subscription-key' : 'invalid-subscription-key',
        );
      }
    };
    const key = subscriptionKeyOf(request);
    const inMemory = services.access.checkSubscriptionKeyInMemory(key, product);
    if (inMemory !== undefined) {
      apply(inMemory);
      return;
    }
    services.access
      .checkSubscriptionKey(key, product)
      // Whatever the check rejects with must fail the request: done() with no error would let it through.
      .then(apply, (error: unknown) =>
        done(error instanceof Error ? error : new Error('subscription key check failed', { cause: error })),
      )
      // Only a throw inside Fastify's own done() gets here; calling done() again would run the route twice.
      .catch((error: unknown) => request.log.error({ err: error }, 'checking a subscription key failed'));
  });
}

/**
 * Requires a bearer token of `product` and a target environment the token's API user may use. A callback
 * hook, not an async one: every check here is synchronous, so an accepted call costs no promise.
 */
export function requireAccessToken(
  app: FastifyInstance,
  services: Pick<AppServices, 'access'>,
  product: Product,
): void {
  app.decorateRequest('caller');
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const token = services.access.checkToken(request.headers.authorization, product);
    if (token.kind !== 'accepted') {
      sendGatewayRefusal(reply, TOKEN_REFUSALS[token.kind]);
      return;
    }
    if (token.partnerId !== request.partnerId) {
      sendGatewayRefusal(reply, 'invalid-access-token');
      return;
    }
    const environment = request.headers['x-target-environment'];
    if (typeof environment !== 'string' || environment.trim() === '') {
      sendFailure(reply, {
        kind: 'failure',
        code: 'BAD_REQUEST',
        message: 'X-Target-Environment header is required.',
      });
      return;
    }
    if (environment.trim() !== token.targetEnvironment) {
      sendFailure(reply, {
        kind: 'failure',
        code: 'NOT_ALLOWED_TARGET_ENVIRONMENT',
        message: `Access to target environment is forbidden. This API user may use ${token.targetEnvironment}.`,
      });
      return;
    }
    request.caller = token;
    done();
  });
}
