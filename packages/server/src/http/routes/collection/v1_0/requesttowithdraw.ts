/** POST /collection/v1_0/requesttowithdraw and GET /collection/v1_0/requesttowithdraw/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RequestToPayBody, RequestToPayResult } from '@openmomo/contract';
import { draftRequestToPay } from '../../../../services/resources/request-to-pay.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';

export const requestToWithdrawRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'collection',
      path: '/requesttowithdraw',
      summary: 'Request a withdrawal from a consumer, who approves it',
      body: RequestToPayBody,
      draft: ({ caller, body }) => draftRequestToPay('REQUEST_TO_WITHDRAW', body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'collection',
      path: '/requesttowithdraw',
      summary: 'Get the status of a request to withdraw',
      result: RequestToPayResult,
      kinds: ['REQUEST_TO_WITHDRAW'],
    }),
    { services },
  );
};
