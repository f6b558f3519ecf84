/** POST /disbursement/v1_0/transfer and GET /disbursement/v1_0/transfer/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TransferBody, TransferResult } from '@openmomo/contract';
import { draftTransfer } from '../../../../services/resources/transfer.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const transferRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'disbursement',
      path: '/transfer',
      summary: "Transfer money from the partner's disbursement account to a payee",
      body: TransferBody,
      draft: ({ caller, body }) => draftTransfer('TRANSFER', 'disbursement', body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'disbursement',
      path: '/transfer',
      summary: 'Get the status of a transfer',
      result: TransferResult,
      kinds: ['TRANSFER'],
    }),
    { services },
  );
};
