/** GET /collection/v1_0/account/balance and GET /collection/v1_0/account/balance/{currency}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Balance,
  GatewayErrorBody,
  MomoErrorBody,
  type Product,
  ProductCallHeaders,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import type { AppServices } from '../../../../app-services.js';
import { sendFailure } from '../../../../momo-error-mapping.js';

export function balanceRoutes(product: Product): FastifyPluginAsyncTypebox<{ services: AppServices }> {
  return async (app, { services }) => {
    const response = { 200: Balance, 400: MomoErrorBody, 401: GatewayErrorBody, 500: MomoErrorBody };

    app.get(
      '/account/balance',
      {
        schema: {
          tags: [product],
          summary: 'Get the balance of the account',
          headers: ProductCallHeaders,
          response,
        },
      },
      async (request, reply) => {
        const balance = await services.collection.balance(request.caller, product);
        return 'kind' in balance ? sendFailure(reply, balance) : balance;
      },
    );

    app.get(
      '/account/balance/:currency',
      {
        schema: {
          tags: [product],
          summary: 'Get the balance of the account in a given currency',
          headers: ProductCallHeaders,
          params: Type.Object({ currency: Type.String({ description: 'ISO4217 Currency' }) }),
          response,
        },
      },
      async (request, reply) => {
        const balance = await services.collection.balance(
          request.caller,
          product,
          request.params.currency.toUpperCase(),
        );
        return 'kind' in balance ? sendFailure(reply, balance) : balance;
      },
    );
  };
}
