/**
 * One MoMo product as one Fastify plugin (encapsulated hooks): its subscription-key check, its token route,
 * and — behind its bearer-token check — its versioned resource routes and account routes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Product } from '@openmomo/contract';
import type { AppServices } from '../../app-services.js';
import { requireAccessToken, requireSubscriptionKey } from '../../plugins/product-auth.js';
import { accountRoutes } from './account.js';
import { bcAuthorizeRoute, oauth2Routes } from './consent.js';
import { tokenRoute } from './token.js';

type Plugin = FastifyPluginAsyncTypebox<{ services: AppServices }>;

export interface ProductRoutes {
  readonly v1_0: readonly Plugin[];
  readonly v2_0: readonly Plugin[];
}

export function productPlugin(product: Product, routes: ProductRoutes): Plugin {
  return async (app, { services }) => {
    requireSubscriptionKey(app, services, product);
    await app.register(tokenRoute(product), { services });
    await app.register(oauth2Routes(product), { services });
    await app.register(
      async (authenticated) => {
        requireAccessToken(authenticated, services, product);
        for (const version of ['v1_0', 'v2_0'] as const) {
          for (const plugin of routes[version]) {
            await authenticated.register(plugin, { services, prefix: `/${version}` });
          }
        }
        await authenticated.register(accountRoutes(product), { services, prefix: '/v1_0' });
        await authenticated.register(bcAuthorizeRoute(product), { services, prefix: '/v1_0' });
      },
      { services },
    );
  };
}
