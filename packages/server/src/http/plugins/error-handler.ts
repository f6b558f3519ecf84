/** Every error and unknown route leaves in a MoMo body; internals are logged, never echoed. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendErrorAsFailure, sendGatewayRefusal } from '../momo-error-mapping.js';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const isClientError =
      error.validation !== undefined || (error.statusCode !== undefined && error.statusCode < 500);
    if (isClientError) {
      request.log.info({ err: { message: error.message, code: error.code } }, 'request refused');
    } else {
      request.log.error({ err: error }, 'request failed');
    }
    return sendErrorAsFailure(reply, error);
  });
  app.setNotFoundHandler((_request, reply) => sendGatewayRefusal(reply, 'route-not-found'));
}
