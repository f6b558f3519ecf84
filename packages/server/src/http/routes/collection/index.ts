/**
 * /collection — the Collection product. Its routes sit in files named after their URLs:
 * token → ../common/token.ts, v1_0/requesttopay → v1_0/requesttopay.ts, v1_0/account/balance → v1_0/account/balance.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../../app-services.js';
import { requireAccessToken, requireSubscriptionKey } from '../../plugins/product-auth.js';
import { tokenRoute } from '../common/token.js';
import { balanceRoutes } from './v1_0/account/balance.js';
import { requestToPayRoutes } from './v1_0/requesttopay.js';

export const collectionRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  requireSubscriptionKey(app, services, 'collection');
  await app.register(tokenRoute('collection'), { services });
  await app.register(
    async (authenticated) => {
      requireAccessToken(authenticated, services, 'collection');
      await authenticated.register(requestToPayRoutes, { services, prefix: '/v1_0' });
      await authenticated.register(balanceRoutes('collection'), { services, prefix: '/v1_0' });
    },
    { services },
  );
};
