/** POST /remittance/v1_0/transfer and GET /remittance/v1_0/transfer/{referenceId} (seed 003). */
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
      product: 'remittance',
      path: '/transfer',
      summary: "Transfer money from the partner's remittance account to a payee",
      body: TransferBody,
      draft: ({ caller, body }) => draftTransfer('TRANSFER', 'remittance', body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'remittance',
      path: '/transfer',
      summary: 'Get the status of a transfer (a failed one is a 200 with status FAILED and a reason)',
      result: TransferResult,
      kinds: ['TRANSFER'],
    }),
    { services },
  );
};
