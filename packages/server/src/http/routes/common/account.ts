/**
 * What every product answers about accounts: /{product}/v1_0/account/balance[/{currency}],
 * /{product}/v1_0/accountholder/{type}/{id}/active and /{product}/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccountHolderActiveResult,
  AccountHolderParams,
  Balance,
  BasicUserInfo,
  MomoErrorBody,
  type Product,
  ProductCallHeaders,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import type { AppServices } from '../../app-services.js';
import { sendFailure } from '../../momo-error-mapping.js';
import { PRODUCT_CALL_ERRORS } from './async-resource.js';

export function accountRoutes(product: Product): FastifyPluginAsyncTypebox<{ services: AppServices }> {
  return async (app, { services }) => {
    const tags = [product];

    app.get(
      '/account/balance',
      {
        schema: {
          tags,
          summary: 'Get the balance of the account',
          headers: ProductCallHeaders,
          response: { 200: Balance, ...PRODUCT_CALL_ERRORS },
        },
      },
      async (request, reply) => {
        const balance = await services.accounts.balance(request.caller, product);
        return 'kind' in balance ? sendFailure(reply, balance) : balance;
      },
    );

    app.get(
      '/account/balance/:currency',
      {
        schema: {
          tags,
          summary: 'Get the balance of the account in a given currency',
          headers: ProductCallHeaders,
          params: Type.Object({ currency: Type.String({ description: 'ISO4217 Currency' }) }),
          response: { 200: Balance, ...PRODUCT_CALL_ERRORS },
        },
      },
      async (request, reply) => {
        const balance = await services.accounts.balance(
          request.caller,
          product,
          request.params.currency.toUpperCase(),
        );
        return 'kind' in balance ? sendFailure(reply, balance) : balance;
      },
    );

    app.get(
      '/accountholder/:accountHolderIdType/:accountHolderId/active',
      {
        schema: {
          tags,
          summary: 'Is an account holder registered and active',
          headers: ProductCallHeaders,
          params: AccountHolderParams,
          response: { 200: AccountHolderActiveResult, ...PRODUCT_CALL_ERRORS },
        },
      },
      async (request, reply) => {
        const active = await services.accounts.isActive(
          request.params.accountHolderIdType,
          request.params.accountHolderId,
        );
        return typeof active === 'boolean' ? { result: active } : sendFailure(reply, active);
      },
    );

    app.get(
      '/accountholder/msisdn/:accountHolderMSISDN/basicuserinfo',
      {
        schema: {
          tags,
          summary: 'Get the basic personal information of an account holder',
          headers: ProductCallHeaders,
          params: Type.Object({ accountHolderMSISDN: Type.String() }),
          response: { 200: BasicUserInfo, ...PRODUCT_CALL_ERRORS, 404: MomoErrorBody },
        },
      },
      async (request, reply) => {
        const info = await services.accounts.basicUserInfo(request.params.accountHolderMSISDN);
        return 'kind' in info ? sendFailure(reply, info) : info;
      },
    );
  };
}
