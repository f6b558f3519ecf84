import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessService } from '../../services/access-service.js';
import { requireSubscriptionKey } from './product-auth.js';

const KEY = '0123456789abcdef0123456789abcdef';

/** A collection route behind the subscription-key hook, checking keys with `access`. */
async function keyedRoute(
  access: Pick<AccessService, 'checkSubscriptionKey' | 'checkSubscriptionKeyInMemory'>,
): Promise<FastifyInstance> {
  const app = Fastify();
  requireSubscriptionKey(app, { access: access as AccessService }, 'collection');
  app.get('/partner', async (request) => ({ partnerId: request.partnerId }));
  await app.ready();
  return app;
}

let app: FastifyInstance | undefined;
afterEach(() => app?.close());

describe('subscription-key hook', () => {
  it('lets a request through with the partner of a key the database accepts', async () => {
    app = await keyedRoute({
      checkSubscriptionKeyInMemory: () => undefined,
      checkSubscriptionKey: async () => ({ kind: 'accepted', partnerId: 'partner-1' }),
    });
    const response = await app.inject({ url: '/partner', headers: { 'ocp-apim-subscription-key': KEY } });

    expect(response.json()).toEqual({ partnerId: 'partner-1' });
  });

  it('fails the request when the key check rejects without an error', async () => {
    app = await keyedRoute({
      checkSubscriptionKeyInMemory: () => undefined,
      checkSubscriptionKey: () => Promise.reject(undefined),
    });
    const response = await app.inject({ url: '/partner', headers: { 'ocp-apim-subscription-key': KEY } });

    expect(response.statusCode).toBe(500);
  });
});
