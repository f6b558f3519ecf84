/** POST /remittance/v2_0/cashtransfer and GET /remittance/v2_0/cashtransfer/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CashTransferBody, CashTransferResult } from '@openmomo/contract';
import { draftCashTransfer } from '../../../../services/resources/cash-transfer.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const cashTransferRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'remittance',
      path: '/cashtransfer',
      summary: 'Send money for a payee to collect in cash',
      body: CashTransferBody,
      draft: ({ caller, body }) => draftCashTransfer(body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'remittance',
      path: '/cashtransfer',
      summary: 'Get the status of a cash transfer',
      result: CashTransferResult,
      kinds: ['CASH_TRANSFER'],
    }),
    { services },
  );
};
