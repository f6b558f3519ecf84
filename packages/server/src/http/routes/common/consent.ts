/**
 * The consent flow of every product: POST /{product}/v1_0/bc-authorize (behind the access token),
 * POST /{product}/oauth2/token/ (Basic credentials) and GET /{product}/oauth2/v1_0/userinfo (consent token).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BcAuthorizeBody,
  BcAuthorizeHeaders,
  BcAuthorizeResult,
  GatewayErrorBody,
  MomoErrorBody,
  Oauth2TokenBody,
  Oauth2TokenResult,
  type Product,
  ProductCallHeaders,
  UserInfo,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import type { AppServices } from '../../app-services.js';
import { type RefusalConfig, sendFailure, sendGatewayRefusal } from '../../momo-error-mapping.js';
import { PRODUCT_CALL_ERRORS } from './async-resource.js';

type Plugin = FastifyPluginAsyncTypebox<{ services: AppServices }>;

const OAuthErrorBody = Type.Object(
  { error: Type.String(), error_description: Type.String() },
  { $id: 'OAuthError' },
);

export function bcAuthorizeRoute(product: Product): Plugin {
  return async (app, { services }) => {
    app.post(
      '/bc-authorize',
      {
        schema: {
          tags: [product],
          summary: 'Ask an account holder for consent (CIBA)',
          description:
            'Form body: login_hint=ID:{msisdn}/MSISDN, scope, access_type. Answers an auth_req_id to redeem at oauth2/token.',
          headers: BcAuthorizeHeaders,
          consumes: ['application/x-www-form-urlencoded'],
          body: BcAuthorizeBody,
          response: { 200: BcAuthorizeResult, ...PRODUCT_CALL_ERRORS },
        },
      },
      async (request, reply) => {
        const callbackUrl = request.headers['x-callback-url']?.trim();
        const result = await services.consents.authorize(
          request.caller,
          request.body,
          callbackUrl === '' ? undefined : callbackUrl,
        );
        return 'kind' in result ? sendFailure(reply, result) : result;
      },
    );
  };
}

export function oauth2Routes(product: Product): Plugin {
  return async (app, { services }) => {
    app.post(
      '/oauth2/token/',
      {
        config: { refusals: 'oauth' } satisfies RefusalConfig,
        schema: {
          tags: [product],
          summary: 'Redeem a consent request (or a refresh token) for a consent token',
          description: `Basic apiUser:apiKey; form body grant_type=urn:openid:params:grant-type:ciba&auth_req_id=… or grant_type=refresh_token&refresh_token=…`,
          consumes: ['application/x-www-form-urlencoded'],
          body: Oauth2TokenBody,
          response: {
            200: Oauth2TokenResult,
            400: OAuthErrorBody,
            401: Type.Union([OAuthErrorBody, GatewayErrorBody]),
          },
        },
      },
      async (request, reply) => {
        const result = await services.consents.exchange({
          partnerId: request.partnerId,
          product,
          authorization: request.headers.authorization,
          form: request.body,
        });
        return 'kind' in result
          ? reply.code(result.status).send({ error: result.error, error_description: result.description })
          : result;
      },
    );

    app.get(
      '/oauth2/v1_0/userinfo',
      {
        schema: {
          tags: [product],
          summary: "The account holder's claims, with the consent token as Bearer",
          headers: ProductCallHeaders,
          response: { 200: UserInfo, 400: MomoErrorBody, 401: GatewayErrorBody, 403: MomoErrorBody },
        },
      },
      async (request, reply) => {
        const info = await services.consents.userInfo(
          request.headers.authorization,
          product,
          request.headers['x-target-environment'],
          request.partnerId,
        );
        if (info === 'unauthorized') {
          return sendGatewayRefusal(reply, 'invalid-access-token');
        }
        return 'kind' in info ? sendFailure(reply, info) : info;
      },
    );
  };
}
