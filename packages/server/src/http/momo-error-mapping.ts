/**
 * The one place where refusals become HTTP. MoMo clients meet three body families (shared/sdk-anchors.md §0.3):
 * the API gateway's `{statusCode, message}` (subscription key, access token, unknown route), the token
 * endpoint's `{error}`, and the wallet platform's `{code, message}` for everything else.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from '@openmomo/contract';
import type { FastifyError, FastifyReply } from 'fastify';
import type { MomoFailure } from '../services/outcomes.js';

export type GatewayRefusalKind =
  | 'missing-subscription-key'
  | 'invalid-subscription-key'
  | 'missing-access-token'
  | 'invalid-access-token'
  | 'expired-access-token'
  | 'route-not-found'
  | 'invalid-operator-token';

const GATEWAY_REFUSALS: Record<GatewayRefusalKind, { statusCode: number; message: string }> = {
  'missing-subscription-key': {
    statusCode: 401,
    message:
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
  },
  'invalid-subscription-key': {
    statusCode: 401,
    message:
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
  },
  'missing-access-token': {
    statusCode: 401,
    message: 'Access denied due to missing access token. Send Authorization: Bearer <token>.',
  },
  'invalid-access-token': { statusCode: 401, message: 'Access denied due to invalid access token.' },
  'expired-access-token': {
    statusCode: 401,
    message: 'Access denied due to expired access token. Request a new one.',
  },
  'route-not-found': { statusCode: 404, message: 'Resource not found' },
  'invalid-operator-token': {
    statusCode: 401,
    message: 'Access denied due to missing or invalid operator token.',
  },
};

export function sendGatewayRefusal(reply: FastifyReply, kind: GatewayRefusalKind): FastifyReply {
  const refusal = GATEWAY_REFUSALS[kind];
  return reply.code(refusal.statusCode).send(refusal);
}

/** The token endpoint's refusal of bad API user credentials (MTN's swagger: 401 `{error}`). */
export function sendLoginFailed(reply: FastifyReply): FastifyReply {
  return reply.code(401).send({ error: 'login_failed' });
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].httpStatus;
}

export function sendFailure(reply: FastifyReply, failure: MomoFailure): FastifyReply {
  return reply.code(httpStatusOf(failure.code)).send({ code: failure.code, message: failure.message });
}

const HEADER_PROBLEMS: Record<string, string> = {
  'x-reference-id': 'X-Reference-Id header must be a UUID version 4.',
  'x-callback-url': 'X-Callback-Url header is longer than 2048 characters.',
};

interface ValidationIssue {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

function describeValidation(context: string, issues: readonly ValidationIssue[]): string {
  const issue = issues[0];
  if (issue === undefined) {
    return `${context} is invalid`;
  }
  const missing = issue.params?.missingProperty;
  const path = `${issue.instancePath}${typeof missing === 'string' ? `/${missing}` : ''}`
    .replace(/^\//, '')
    .replaceAll('/', '.');
  if (context === 'headers') {
    return HEADER_PROBLEMS[path] ?? `${path} header ${issue.message ?? 'is invalid'}`;
  }
  if (context === 'params') {
    return `${path} in the path is not in the expected format (a UUID).`;
  }
  return typeof missing === 'string'
    ? `${context === 'body' ? '' : `${context} `}${path} is required`
    : `${path || context} ${issue.message ?? 'is invalid'}`;
}

/**
 * Routes that refuse in another body family than the wallet's, named in their route `config`: the OAuth token
 * endpoint answers a request it cannot read as RFC 6749 §5.2 says, `400 {error: "invalid_request"}`.
 */
export interface RefusalConfig {
  readonly refusals?: 'oauth';
}

/** Maps an error Fastify raised (validation, body parsing, limits) or an unexpected fault to a reply. */
export function sendErrorAsFailure(
  reply: FastifyReply,
  error: FastifyError,
  isUnavailable: (error: unknown) => boolean,
): FastifyReply {
  const clientError =
    error.validation !== undefined ||
    (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500);
  if (clientError && (reply.request.routeOptions.config as RefusalConfig).refusals === 'oauth') {
    return reply.code(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : 400).send({
      error: 'invalid_request',
      error_description:
        error.validation === undefined
          ? error.message
          : describeValidation(error.validationContext ?? 'body', error.validation),
    });
  }
  if (error.validation !== undefined) {
    return sendFailure(reply, {
      kind: 'failure',
      code: 'BAD_REQUEST',
      message: describeValidation(error.validationContext ?? 'body', error.validation),
    });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send({ code: 'BAD_REQUEST', message: 'The request body is too large.' });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Body parsing problems: the client's fault, answered in the wallet's shape.
    return reply.code(400).send({ code: 'BAD_REQUEST', message: error.message });
  }
  if (isUnavailable(error)) {
    // The database is down or refusing connections: nothing was written, and the caller may retry.
    return reply
      .code(503)
      .send({ code: 'SERVICE_UNAVAILABLE', message: ERROR_CODES.SERVICE_UNAVAILABLE.message });
  }
  return reply
    .code(500)
    .send({ code: 'INTERNAL_PROCESSING_ERROR', message: ERROR_CODES.INTERNAL_PROCESSING_ERROR.message });
}

/** Errors raised before routing: an over-long path parameter (414) or a malformed URL (400), not echoed back. */
export function sendFrameworkError(reply: FastifyReply, fastifyCode: string): FastifyReply {
  const tooLong = fastifyCode === 'FST_ERR_MAX_PARAM_LENGTH';
  return reply.code(tooLong ? 414 : 400).send({
    code: 'BAD_REQUEST',
    message: tooLong ? 'A path parameter is too long.' : 'The URL is malformed.',
  });
}

/**
 * What a request so malformed that no route can see it is answered (Node's HTTP parser refused it, or it was
 * not wholly received in time): the API gateway's `{statusCode, message}`, as for every refusal made before a
 * product's code runs, then the connection is closed, since nothing more can be read from it reliably.
 */
export function sendClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection reset: the socket is gone, and there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const [statusCode, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers are too large.']
        : [400, 'The request is not valid HTTP.'];
  if (socket.writable) {
    const body = JSON.stringify({ statusCode, message });
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
