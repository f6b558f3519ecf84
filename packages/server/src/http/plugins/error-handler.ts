/** Every error and unknown route leaves in a MoMo body; internals are logged, never echoed. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendErrorAsFailure, sendGatewayRefusal } from '../momo-error-mapping.js';

/** `isUnavailable` tells database outages (answered 503, retry later) from faults (500). */
export function installErrorHandling(app: FastifyInstance, isUnavailable: (error: unknown) => boolean): void {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const isClientError =
      error.validation !== undefined || (error.statusCode !== undefined && error.statusCode < 500);
    if (isClientError) {
      request.log.info({ err: { message: error.message, code: error.code } }, 'request refused');
    } else {
      request.log.error({ err: error }, 'request failed');
    }
    return sendErrorAsFailure(reply, error, isUnavailable);
  });
  app.setNotFoundHandler((_request, reply) => sendGatewayRefusal(reply, 'route-not-found'));
}
