/** GET /health — liveness and database reachability, for load balancers and `openmomo` itself. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppServices } from '../app-services.js';

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  engine: Type.String(),
  sandboxMode: Type.Boolean(),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability',
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (request, reply) => {
      const body = { engine: services.store.dialect, sandboxMode: services.config.sandboxMode };
      try {
        await services.store.ping();
        return { status: 'ok' as const, database: 'ok' as const, ...body };
      } catch (error) {
        request.log.warn({ err: error }, 'database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable', ...body });
      }
    },
  );
};
