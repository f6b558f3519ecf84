/**
 * /admin/v1/faults — failures on demand for the MoMo routes (sandbox mode only; decision 0025). Registered
 * inside the operator API, behind its token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CALLBACK_FAULTS, type FaultRules, REQUEST_FAULTS } from '../../../services/fault-rules.js';
import type { AppServices } from '../../app-services.js';
import { sendFailure } from '../../momo-error-mapping.js';

const FaultRuleBody = Type.Object(
  {
    on: Type.Optional(Type.Union([Type.Literal('request'), Type.Literal('callback')])),
    method: Type.Optional(Type.Union(['GET', 'POST', 'PUT', 'DELETE'].map((m) => Type.Literal(m)))),
    path: Type.String({ pattern: '^(/.*|[*])$', maxLength: 500 }),
    fault: Type.Union(
      [...new Set([...REQUEST_FAULTS, ...CALLBACK_FAULTS])].map((fault) => Type.Literal(fault)),
    ),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    message: Type.Optional(Type.String({ maxLength: 500 })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export const faultRoutes: FastifyPluginAsyncTypebox<{ services: AppServices; faults: FaultRules }> = async (
  app,
  { services, faults },
) => {
  app.addHook('onRequest', async (_request, reply) => {
    if (!services.config.sandboxMode) {
      return sendFailure(reply, {
        kind: 'failure',
        code: 'NOT_ALLOWED',
        message: 'Fault rules exist in sandbox mode only.',
      });
    }
  });

  app.get(
    '/faults',
    { schema: { tags: ['admin'], summary: 'Fault rules, in the order they are matched' } },
    async () => faults.list(),
  );

  app.post(
    '/faults',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Make matching MoMo calls fail (an error answer, a delay, a connection dropped before or after handling) or callbacks go wrong (late, twice, never)',
        body: FaultRuleBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const allowed: readonly string[] = body.on === 'callback' ? CALLBACK_FAULTS : REQUEST_FAULTS;
      if (!allowed.includes(body.fault)) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: `A ${body.on ?? 'request'} fault is one of ${allowed.join(', ')}.`,
        });
      }
      if (body.fault === 'delay' && body.delayMs === undefined) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: 'A delay needs delayMs.',
        });
      }
      if (body.fault === 'error' && body.status === 401) {
        // Every 401 counts toward the client address's authentication-failure limit: injected ones would lock
        // that address out, the operator API included.
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: 'A fault cannot answer 401; to test token renewal, let tokens expire (TOKEN_TTL_SECONDS).',
        });
      }
      return reply.code(201).send(faults.add(body));
    },
  );

  app.delete(
    '/faults/:faultId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Remove a fault rule',
        params: Type.Object({ faultId: Type.String() }),
      },
    },
    async (request, reply) =>
      faults.remove(request.params.faultId)
        ? reply.code(204).send()
        : sendFailure(reply, {
            kind: 'failure',
            code: 'RESOURCE_NOT_FOUND',
            message: 'No fault rule has this id.',
          }),
  );

  app.delete(
    '/faults',
    { schema: { tags: ['admin'], summary: 'Remove every fault rule' } },
    async (_request, reply) => {
      faults.clear();
      return reply.code(204).send();
    },
  );
};
