/** POST /disbursement/v1_0/refund and GET /disbursement/v1_0/refund/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefundBody, TransferResult } from '@openmomo/contract';
import { draftRefund } from '../../../../services/resources/refund.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const refundCreationRoute = creationRoute({
  product: 'disbursement',
  path: '/refund',
  summary: "Refund (part of) a successful collection to its payer from the partner's disbursement account",
  description:
    'referenceIdToRefund names a SUCCESSFUL payment of this partner; all refunds of it together never exceed it.',
  body: RefundBody,
  draft: ({ caller, body, services }) => draftRefund(body, caller, services.store),
});

export const refundRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(refundCreationRoute, { services });
  await app.register(
    statusRoute({
      product: 'disbursement',
      path: '/refund',
      summary: 'Get the status of a refund',
      result: TransferResult,
      kinds: ['REFUND'],
    }),
    { services },
  );
};
