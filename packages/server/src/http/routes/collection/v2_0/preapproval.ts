/**
 * POST /collection/v2_0/preapproval (seed 000), GET and DELETE /collection/v2_0/preapproval/{referenceId}.
 * The list of a payer's approved ones is at v1_0/preapprovals.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PreapprovalBody, PreapprovalResult, ReferenceIdParams } from '@openmomo/contract';
import { draftPreapproval } from '../../../../services/resources/preapproval.js';
import type { AppServices } from '../../../app-services.js';
import { creationRoute, statusRoute } from '../../common/async-resource.js';
import { cancelPreapprovalRoute } from '../cancel-preapproval.js';

export const preapprovalRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'collection',
      path: '/preapproval',
      summary: 'Ask a payer to pre-approve this partner',
      description:
        'Once approved, requests to pay from this partner to this payer go through without a prompt for validityTime seconds.',
      body: PreapprovalBody,
      draft: ({ caller, body }) => draftPreapproval(body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'collection',
      path: '/preapproval',
      summary: 'Get the status of a pre-approval',
      result: PreapprovalResult,
      kinds: ['PREAPPROVAL'],
    }),
    { services },
  );
  await app.register(
    cancelPreapprovalRoute({
      path: '/preapproval/:referenceId',
      params: ReferenceIdParams,
      idOf: (params) => params.referenceId,
    }),
    { services },
  );
};
