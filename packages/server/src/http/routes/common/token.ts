/** POST /{product}/token/ — an access token for an API user (Basic apiUser:apiKey). */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayErrorBody, type Product, TokenErrorBody, TokenResult } from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import type { AppServices } from '../../app-services.js';
import { sendLoginFailed } from '../../momo-error-mapping.js';

export function tokenRoute(product: Product): FastifyPluginAsyncTypebox<{ services: AppServices }> {
  return async (app, { services }) => {
    app.post(
      '/token/',
      {
        schema: {
          tags: [product],
          summary: 'Create an access token',
          description:
            'Basic authentication with the API user id and API key; the token is valid for one hour.',
          response: { 200: TokenResult, 401: Type.Union([TokenErrorBody, GatewayErrorBody]) },
        },
      },
      async (request, reply) => {
        const issued = await services.access.issueToken({
          partnerId: request.partnerId,
          product,
          authorization: request.headers.authorization,
        });
        if (issued.kind === 'login-failed') {
          return sendLoginFailed(reply);
        }
        return {
          access_token: issued.accessToken,
          token_type: 'access_token',
          expires_in: issued.expiresInSeconds,
        };
      },
    );
  };
}
