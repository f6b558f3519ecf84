/** /openapi.json and the docs UI at /docs, generated from the same TypeBox schemas that validate requests. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OpenMoMo — MoMo Open API compatible',
        version: '0.1.0',
        description:
          'Wire-compatible with the MTN MoMo Open API (Partner Gateway API). Every MoMo path answers here under the same path; `/admin/v1` is the operator API.',
      },
      tags: [
        { name: 'provisioning', description: 'Sandbox API users and keys' },
        { name: 'collection', description: 'Collection: request to pay and balance' },
        { name: 'admin', description: 'Operator API (not MoMo wire)' },
        { name: 'operations', description: 'Health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
