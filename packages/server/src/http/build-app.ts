/** buildApp: the whole HTTP surface as a Fastify instance that never listens by itself (tests inject or listen). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { trustProxyOption } from '../config.js';
import type { FaultRules } from '../services/fault-rules.js';
import type { AppServices } from './app-services.js';
import { sendClientError, sendFrameworkError } from './momo-error-mapping.js';
import { installAuthFailureGuard } from './plugins/auth-failure-guard.js';
import { installBodyParsing } from './plugins/body-parsing.js';
import { installDashboard } from './plugins/dashboard.js';
import { installDurableReplies } from './plugins/durable-replies.js';
import { installErrorHandling } from './plugins/error-handler.js';
import { installFaultInjection } from './plugins/fault-injection.js';
import { installOpenApi } from './plugins/openapi.js';
import { adminRoutes } from './routes/admin/index.js';
import { collectionRoutes } from './routes/collection/index.js';
import { disbursementRoutes } from './routes/disbursement/index.js';
import { healthRoutes } from './routes/health.js';
import { apiUserRoutes } from './routes/provisioning/v1_0/apiuser.js';
import { remittanceRoutes } from './routes/remittance/index.js';

/** Request bodies above this are refused with 413; MoMo bodies are a few hundred bytes. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApp(
  services: AppServices,
  faults: FaultRules,
  logger: FastifyServerOptions['logger'] = false,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's default, 'array', also reads `["5"]` as `"5"`: an amount or a currency sent as a list would be
    // taken. A number is still read as the string MoMo expects (`"amount": 5`), as clients commonly send it.
    ajv: { customOptions: { coerceTypes: true } },
    // The client address counts authentication failures; behind a load balancer it comes from X-Forwarded-For.
    trustProxy: trustProxyOption(services.config.trustProxy),
    // Clients call /collection/token and /collection/token/ alike.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Errors the framework raises before routing (a malformed URL, an over-long path parameter) leave in a
    // MoMo body too, without echoing the offending URL.
    frameworkErrors: (error, _request, reply) => {
      sendFrameworkError(reply as unknown as FastifyReply, error.code);
    },
    // Fastify turns Node's 300 s default off; a client that sends its headers and then trickles (or withholds)
    // its body would hold a connection for as long as it liked. Node reads the timeout when the server is
    // created (setting it later, as Fastify's own option does, has no effect on Node 20), and looks for such
    // requests every 30 s by default, which would let one outlive a short timeout by that much.
    http: {
      requestTimeout: services.config.requestTimeoutMs,
      connectionsCheckingInterval: Math.ceil(services.config.requestTimeoutMs / 10),
    },
    requestTimeout: services.config.requestTimeoutMs,
    clientErrorHandler: sendClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app, (error) => services.store.isUnavailableError(error));
  if (services.config.sandboxMode) {
    installFaultInjection(app, faults);
  }
  installDurableReplies(app, services.store.untilDurable);
  installBodyParsing(app);
  installAuthFailureGuard(app, {
    limit: services.config.authFailureLimit,
    windowMs: services.config.authFailureWindowSeconds * 1000,
    clock: services.clock,
    count: (clientAddress) => services.access.countAuthFailure(clientAddress),
    // An API key (Basic) or the operator token; subscription keys and access tokens are too long to guess.
    checksGuessableSecret: (request) =>
      /^basic /i.test(request.headers.authorization ?? '') ||
      (request.routeOptions.url?.startsWith('/admin/') === true && services.config.operatorToken !== null),
  });
  await installOpenApi(app);
  await installDashboard(app);
  await app.register(healthRoutes, { services });
  await app.register(apiUserRoutes, { services, prefix: '/v1_0' });
  await app.register(collectionRoutes, { services, prefix: '/collection' });
  await app.register(disbursementRoutes, { services, prefix: '/disbursement' });
  await app.register(remittanceRoutes, { services, prefix: '/remittance' });
  await app.register(adminRoutes, { services, faults, prefix: '/admin/v1' });
  return app;
}
