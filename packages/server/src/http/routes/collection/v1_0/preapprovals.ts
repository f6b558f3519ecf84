/**
 * GET /collection/v1_0/preapprovals/{accountHolderIdType}/{accountHolderId} and
 * DELETE /collection/v1_0/preapprovals/{preapprovalId}: a payer's approved pre-approvals, and cancelling one
 * (decision 0020). v2_0/preapproval.ts serves the same cancel at the pre-approval's own URL.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccountHolderParams,
  ApprovedPreapprovals,
  PreapprovalIdParams,
  ProductCallHeaders,
} from '@openmomo/contract';
import { presentPreapprovalDetails } from '../../../../services/resources/preapproval.js';
import { isFailure, partyFromPath } from '../../../../services/resources/validation.js';
import type { AppServices } from '../../../app-services.js';
import { sendFailure } from '../../../momo-error-mapping.js';
import { PRODUCT_CALL_ERRORS } from '../../common/async-resource.js';
import { cancelPreapprovalRoute } from '../cancel-preapproval.js';

export const preapprovalsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  app.get(
    '/preapprovals/:accountHolderIdType/:accountHolderId',
    {
      schema: {
        tags: ['collection'],
        summary: "List the caller's approved pre-approvals from a payer",
        description: 'Only approved pre-approvals that have not expired, oldest first.',
        headers: ProductCallHeaders,
        params: AccountHolderParams,
        response: { 200: ApprovedPreapprovals, ...PRODUCT_CALL_ERRORS },
      },
    },
    async (request, reply) => {
      const payer = partyFromPath(request.params.accountHolderIdType, request.params.accountHolderId);
      if (isFailure(payer)) {
        return sendFailure(reply, payer);
      }
      const approved = await services.transactions.listActivePreapprovals(request.caller, payer);
      return {
        preApprovalDetails: approved.map((preapproval) =>
          presentPreapprovalDetails(preapproval, request.caller.partnerId),
        ),
      };
    },
  );
  await app.register(
    cancelPreapprovalRoute({
      path: '/preapprovals/:preapprovalId',
      params: PreapprovalIdParams,
      idOf: (params) => params.preapprovalId,
    }),
    { services },
  );
};
