/**
 * Cancelling a pre-approval, served at two URLs (decision 0020): DELETE /collection/v1_0/preapprovals/{id}
 * (v1_0/preapprovals.ts) and DELETE /collection/v2_0/preapproval/{referenceId} (v2_0/preapproval.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MomoErrorBody, ProductCallHeaders } from '@openmomo/contract';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import { isUuid } from '../../../services/resources/validation.js';
import type { AppServices } from '../../app-services.js';
import { sendFailure } from '../../momo-error-mapping.js';
import { PRODUCT_CALL_ERRORS } from '../common/async-resource.js';

export function cancelPreapprovalRoute<P extends TObject>(spec: {
  readonly path: string;
  readonly params: P;
  readonly idOf: (params: Static<P>) => string;
}): FastifyPluginAsyncTypebox<{ services: AppServices }> {
  return async (app, { services }) => {
    app.delete(
      spec.path,
      {
        schema: {
          tags: ['collection'],
          summary: 'Cancel a pre-approval',
          description:
            'A pre-approval still waiting for the payer, or approved and not expired, ends cancelled (read as FAILED); ' +
            'requests to pay to that payer prompt again.',
          headers: ProductCallHeaders,
          params: spec.params,
          response: {
            200: Type.Unsafe<undefined>({ description: 'OK' }),
            ...PRODUCT_CALL_ERRORS,
            404: MomoErrorBody,
          },
        },
      },
      async (request, reply) => {
        const id = spec.idOf(request.params as Static<P>);
        if (!isUuid(id)) {
          return sendFailure(reply, {
            kind: 'failure',
            code: 'BAD_REQUEST',
            message: 'The id must be a UUID.',
          });
        }
        const outcome = await services.transactions.cancelPreapproval(request.caller, id);
        return outcome.kind === 'failure' ? sendFailure(reply, outcome) : reply.code(200).send();
      },
    );
  };
}
