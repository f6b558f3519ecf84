/**
 * The two routes every asynchronous MoMo resource has: POST creates it (202, empty body) and GET reads its
 * status. A URL's own file only says which body, which draft and which kinds it reads.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreationCallHeaders,
  GatewayErrorBody,
  MomoErrorBody,
  NoContent,
  type Product,
  ProductCallHeaders,
  ReferenceIdParams,
} from '@openmomo/contract';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { TransactionKind } from '../../../domain/payments/transaction-kinds.js';
import type { AccessClaims } from '../../../services/access-service.js';
import type { MomoFailure } from '../../../services/outcomes.js';
import type { TransactionDraft } from '../../../services/resources/draft.js';
import { isUuid } from '../../../services/resources/validation.js';
import type { TransactionRecord } from '../../../storage/store.js';
import type { AppServices } from '../../app-services.js';
import { sendFailure } from '../../momo-error-mapping.js';

type Plugin = FastifyPluginAsyncTypebox<{ services: AppServices }>;

/** What Fastify sets for a body it serialised itself. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Every error a product call can meet before and after its handler, for the OpenAPI document. */
export const PRODUCT_CALL_ERRORS = {
  400: MomoErrorBody,
  401: GatewayErrorBody,
  403: MomoErrorBody,
  500: MomoErrorBody,
  503: MomoErrorBody,
} as const;

export interface CreationRouteSpec<B extends TSchema> {
  readonly product: Product;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly body: B;
  readonly draft: (input: {
    caller: AccessClaims;
    body: Static<B>;
    services: AppServices;
  }) => TransactionDraft | MomoFailure | Promise<TransactionDraft | MomoFailure>;
}

export function creationRoute<B extends TSchema>(spec: CreationRouteSpec<B>): Plugin {
  return async (app, { services }) => {
    app.post(
      spec.path,
      {
        schema: {
          tags: [spec.product],
          summary: spec.summary,
          ...(spec.description === undefined ? {} : { description: spec.description }),
          headers: CreationCallHeaders,
          body: spec.body,
          response: {
            202: NoContent('Accepted'),
            ...PRODUCT_CALL_ERRORS,
            409: MomoErrorBody,
            413: MomoErrorBody,
          },
        },
      },
      async (request, reply) => {
        const callbackUrl = request.headers['x-callback-url']?.trim();
        const outcome = await services.transactions.create({
          caller: request.caller,
          referenceId: request.headers['x-reference-id'].toLowerCase(),
          callbackUrl: callbackUrl === '' ? undefined : callbackUrl,
          draft: await spec.draft({ caller: request.caller, body: request.body as Static<B>, services }),
        });
        return outcome.kind === 'failure' ? sendFailure(reply, outcome) : reply.code(202).send();
      },
    );
  };
}

export interface StatusRouteSpec {
  readonly product: Product;
  readonly path: string;
  readonly summary: string;
  readonly result: TSchema;
  readonly kinds: readonly TransactionKind[];
}

/** GET {path}/{referenceId}: a failed transaction is a 200 too; an unknown or another API user's id is a 404. */
export function statusRoute(spec: StatusRouteSpec): Plugin {
  return async (app, { services }) => {
    const bodies = new WeakMap<TransactionRecord, ReturnType<FastifyReply['serialize']>>();
    app.get(
      `${spec.path}/:referenceId`,
      {
        schema: {
          tags: [spec.product],
          summary: spec.summary,
          headers: ProductCallHeaders,
          params: ReferenceIdParams,
          response: { 200: spec.result, ...PRODUCT_CALL_ERRORS, 404: MomoErrorBody },
        },
      },
      // Not async: a transaction the store holds in memory is answered without a promise (decisions 0016, 0017).
      (request, reply) => {
        const { referenceId } = request.params;
        if (!isUuid(referenceId)) {
          return sendFailure(reply, {
            kind: 'failure',
            code: 'BAD_REQUEST',
            message: 'referenceId must be a UUID.',
          });
        }
        const send = (transaction: TransactionRecord | undefined) =>
          transaction === undefined
            ? sendFailure(reply, {
                kind: 'failure',
                code: 'RESOURCE_NOT_FOUND',
                message: 'Requested resource was not found.',
              })
            : reply.send(services.transactions.present(transaction));
        const kept = services.transactions.findInMemory(request.caller, spec.kinds, referenceId);
        if (kept === undefined) {
          return services.transactions.find(request.caller, spec.kinds, referenceId).then(send);
        }
        // A record memory holds never changes (a change replaces it), and integrations poll the same one
        // over and over: its body is written once.
        let body = bodies.get(kept);
        if (body === undefined) {
          body = reply.serialize(services.transactions.present(kept));
          bodies.set(kept, body);
        }
        return reply.type(JSON_CONTENT_TYPE).send(body);
      },
    );
  };
}
