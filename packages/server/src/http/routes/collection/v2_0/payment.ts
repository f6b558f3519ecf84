/** POST /collection/v2_0/payment and GET /collection/v2_0/payment/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PaymentBody, PaymentResult } from '@openmomo/contract';
import { draftPayment } from '../../../../services/resources/payment.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const paymentRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'collection',
      path: '/payment',
      summary: 'Take a payment from a customer, who approves it',
      body: PaymentBody,
      draft: ({ caller, body }) => draftPayment(body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'collection',
      path: '/payment',
      summary: 'Get the status of a payment',
      result: PaymentResult,
      kinds: ['PAYMENT'],
    }),
    { services },
  );
};
