/** POST /collection/v2_0/invoice, GET and DELETE /collection/v2_0/invoice/{referenceId}. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CancelInvoiceBody,
  CreationCallHeaders,
  InvoiceBody,
  InvoiceResult,
  MomoErrorBody,
  ReferenceIdParams,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import { draftInvoice } from '../../../../services/resources/invoice.js';
import type { AppServices } from '../../../app-services.js';
import { sendFailure } from '../../../momo-error-mapping.js';
import { readOptionalBody } from '../../../optional-body.js';
import { creationRoute, PRODUCT_CALL_ERRORS, statusRoute } from '../../common/async-resource.js';

export const invoiceRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  await app.register(
    creationRoute({
      product: 'collection',
      path: '/invoice',
      summary: 'Create an invoice the intended payer pays later',
      body: InvoiceBody,
      draft: ({ caller, body }) => draftInvoice(body, caller),
    }),
    { services },
  );
  await app.register(
    statusRoute({
      product: 'collection',
      path: '/invoice',
      summary: 'Get the status of an invoice',
      result: InvoiceResult,
      kinds: ['INVOICE'],
    }),
    { services },
  );
  app.delete(
    '/invoice/:referenceId',
    {
      schema: {
        tags: ['collection'],
        summary: 'Cancel a pending invoice',
        headers: CreationCallHeaders,
        params: ReferenceIdParams,
        // Not declared as `body`: a cancel may come without one; see optional-body.ts.
        response: {
          200: Type.Unsafe<undefined>({ description: 'OK' }),
          ...PRODUCT_CALL_ERRORS,
          404: MomoErrorBody,
        },
      },
    },
    async (request, reply) => {
      const body = readOptionalBody(CancelInvoiceBody, request.body);
      if ('kind' in body) {
        return sendFailure(reply, body);
      }
      const outcome = await services.transactions.cancelInvoice(request.caller, request.params.referenceId);
      return outcome.kind === 'failure' ? sendFailure(reply, outcome) : reply.code(200).send();
    },
  );
};
