/**
 * POST /collection/v1_0/requesttopay, GET /collection/v1_0/requesttopay/{referenceId} and
 * POST /collection/v1_0/requesttopay/{referenceId}/deliverynotification.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DeliveryNotificationBody,
  MomoErrorBody,
  ProductCallHeaders,
  ReferenceIdParams,
  RequestToPayBody,
  RequestToPayResult,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import { draftRequestToPay } from '../../../../services/resources/request-to-pay.js';
import type { AppServices } from '../../../app-services.js';
import { sendFailure } from '../../../momo-error-mapping.js';
import { readOptionalBody } from '../../../optional-body.js';
import { creationRoute, PRODUCT_CALL_ERRORS, statusRoute } from '../../common/async-resource.js';

const deliveryNotificationRoute: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  app.post(
    '/requesttopay/:referenceId/deliverynotification',
    {
      schema: {
        tags: ['collection'],
        summary: 'Send a delivery notification to the payer of a successful request to pay',
        description: 'The message comes in the notificationMessage header or body (at most 160 characters).',
        headers: Type.Composite([
          ProductCallHeaders,
          Type.Object({
            notificationmessage: Type.Optional(Type.String({ maxLength: 160 })),
            language: Type.Optional(Type.String({ maxLength: 16 })),
          }),
        ]),
        params: ReferenceIdParams,
        // Not declared as `body`: the body is optional (the message may come as a header); see optional-body.ts.
        response: {
          200: Type.Unsafe<undefined>({ description: 'OK' }),
          ...PRODUCT_CALL_ERRORS,
          404: MomoErrorBody,
          409: MomoErrorBody,
        },
      },
    },
    async (request, reply) => {
      const body = readOptionalBody(DeliveryNotificationBody, request.body);
      if ('kind' in body) {
        return sendFailure(reply, body);
      }
      const message = body.notificationMessage ?? request.headers.notificationmessage;
      if (message === undefined || message.trim() === '') {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: 'notificationMessage is required (header or body).',
        });
      }
      const outcome = await services.transactions.notifyDelivery(
        request.caller,
        request.params.referenceId,
        message,
      );
      return outcome.kind === 'failure' ? sendFailure(reply, outcome) : reply.code(200).send();
    },
  );
};

export const requestToPayRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'collection',
      path: '/requesttopay',
      summary: 'Request a payment from a consumer (payer)',
      description:
        'The payer is asked to approve. The result is read with GET /requesttopay/{referenceId} and pushed to X-Callback-Url.',
      body: RequestToPayBody,
      draft: ({ caller, body }) => draftRequestToPay('REQUEST_TO_PAY', body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'collection',
      path: '/requesttopay',
      summary: 'Get the status of a request to pay',
      result: RequestToPayResult,
      kinds: ['REQUEST_TO_PAY'],
    }),
    { services },
  );
  await app.register(deliveryNotificationRoute, { services });
};
