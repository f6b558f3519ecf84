/** POST /collection/v1_0/requesttopay and GET /collection/v1_0/requesttopay/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreationCallHeaders,
  GatewayErrorBody,
  MomoErrorBody,
  NoContent,
  ProductCallHeaders,
  ReferenceIdParams,
  RequestToPayBody,
  RequestToPayResult,
} from '@openmomo/contract';
import type { AppServices } from '../../../app-services.js';
import { sendFailure } from '../../../momo-error-mapping.js';
import { isUuid } from '../../common/reference-id.js';

export const requestToPayRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  app.post(
    '/requesttopay',
    {
      schema: {
        tags: ['collection'],
        summary: 'Request a payment from a consumer (payer)',
        description:
          'The payer is asked to approve the request. The result is read with GET /requesttopay/{referenceId} and pushed to X-Callback-Url.',
        headers: CreationCallHeaders,
        body: RequestToPayBody,
        response: {
          202: NoContent('Accepted'),
          400: MomoErrorBody,
          401: GatewayErrorBody,
          403: MomoErrorBody,
          409: MomoErrorBody,
          500: MomoErrorBody,
        },
      },
    },
    async (request, reply) => {
      const callbackUrl = request.headers['x-callback-url']?.trim();
      const outcome = await services.collection.requestToPay({
        caller: request.caller,
        referenceId: request.headers['x-reference-id'].toLowerCase(),
        callbackUrl: callbackUrl === '' ? undefined : callbackUrl,
        body: request.body,
      });
      if (outcome.kind === 'failure') {
        return sendFailure(reply, outcome);
      }
      return reply.code(202).send();
    },
  );

  app.get(
    '/requesttopay/:referenceId',
    {
      schema: {
        tags: ['collection'],
        summary: 'Get the status of a request to pay',
        description:
          'A failed request to pay is answered with 200 too: its status is FAILED and `reason` says why.',
        headers: ProductCallHeaders,
        params: ReferenceIdParams,
        response: {
          200: RequestToPayResult,
          400: MomoErrorBody,
          401: GatewayErrorBody,
          404: MomoErrorBody,
          500: MomoErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { referenceId } = request.params;
      if (!isUuid(referenceId)) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: 'referenceId must be a UUID.',
        });
      }
      const transaction = await services.collection.findRequestToPay(
        request.caller,
        referenceId.toLowerCase(),
      );
      if (transaction === undefined) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'RESOURCE_NOT_FOUND',
          message: 'Requested resource was not found.',
        });
      }
      return services.collection.present(transaction);
    },
  );
};
