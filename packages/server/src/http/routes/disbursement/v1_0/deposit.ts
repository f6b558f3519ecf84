/** POST /disbursement/v1_0/deposit and GET /disbursement/v1_0/deposit/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TransferBody, TransferResult } from '@openmomo/contract';
import { draftTransfer } from '../../../../services/resources/transfer.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const depositCreationRoute = creationRoute({
  product: 'disbursement',
  path: '/deposit',
  summary: "Deposit money from the partner's disbursement account into a payee's wallet",
  body: TransferBody,
  draft: ({ caller, body }) => draftTransfer('DEPOSIT', 'disbursement', body, caller),
});

export const depositRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(depositCreationRoute, { services });
  await app.register(
    statusRoute({
      product: 'disbursement',
      path: '/deposit',
      summary: 'Get the status of a deposit',
      result: TransferResult,
      kinds: ['DEPOSIT'],
    }),
    { services },
  );
};
