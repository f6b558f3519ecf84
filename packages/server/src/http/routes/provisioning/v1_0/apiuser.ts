/**
 * /v1_0/apiuser — sandbox provisioning of API users and API keys. MTN exposes it only in its sandbox;
 * outside sandbox mode these routes do not exist (the gateway's 404) and operators use the admin API.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiKeyResult,
  ApiUserParams,
  ApiUserResult,
  CreateApiUserBody,
  CreateApiUserHeaders,
  GatewayErrorBody,
  MomoErrorBody,
  NoContent,
} from '@openmomo/contract';
import type { AppServices } from '../../../app-services.js';
import { sendFailure } from '../../../momo-error-mapping.js';
import { requireSubscriptionKey } from '../../../plugins/product-auth.js';

const notFound = {
  kind: 'failure',
  code: 'RESOURCE_NOT_FOUND',
  message: 'Requested resource was not found.',
} as const;

export const apiUserRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  if (!services.config.sandboxMode) {
    // Not there at all, as on MTN's production gateway: its unknown-route 404 answers every such call.
    return;
  }
  requireSubscriptionKey(app, services, null);

  app.post(
    '/apiuser',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Create an API user (sandbox)',
        headers: CreateApiUserHeaders,
        body: CreateApiUserBody,
        response: {
          201: NoContent('Created'),
          400: MomoErrorBody,
          401: GatewayErrorBody,
          409: MomoErrorBody,
        },
      },
    },
    async (request, reply) => {
      const providerCallbackHost = request.body.providerCallbackHost.trim();
      if (/\s/.test(providerCallbackHost) || providerCallbackHost === '') {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: 'providerCallbackHost must be a host name.',
        });
      }
      const created = await services.access.createApiUser({
        partnerId: request.partnerId,
        apiUserId: request.headers['x-reference-id'].toLowerCase(),
        providerCallbackHost,
        targetEnvironment: 'sandbox',
      });
      if (created.kind === 'duplicate') {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'RESOURCE_ALREADY_EXIST',
          message: 'Duplicated reference id. Creation of resource failed.',
        });
      }
      return reply.code(201).send();
    },
  );

  app.get(
    '/apiuser/:referenceId',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Get an API user',
        params: ApiUserParams,
        response: { 200: ApiUserResult, 400: MomoErrorBody, 401: GatewayErrorBody, 404: MomoErrorBody },
      },
    },
    async (request, reply) => {
      const apiUser = await services.access.findApiUser(
        request.partnerId,
        request.params.referenceId.toLowerCase(),
      );
      if (apiUser === undefined) {
        return sendFailure(reply, notFound);
      }
      return {
        providerCallbackHost: apiUser.providerCallbackHost,
        targetEnvironment: apiUser.targetEnvironment,
      };
    },
  );

  app.post(
    '/apiuser/:referenceId/apikey',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Create an API key for an API user (a new one on every call)',
        params: ApiUserParams,
        response: { 201: ApiKeyResult, 400: MomoErrorBody, 401: GatewayErrorBody, 404: MomoErrorBody },
      },
    },
    async (request, reply) => {
      const apiKey = await services.access.createApiKey(
        request.partnerId,
        request.params.referenceId.toLowerCase(),
      );
      if (apiKey === undefined) {
        return sendFailure(reply, notFound);
      }
      return reply.code(201).send({ apiKey });
    },
  );
};
