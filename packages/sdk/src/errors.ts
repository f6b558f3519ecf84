/**
 * Errors the client throws, chosen by HTTP status and MoMo code (after stripe-node's `generateV1Error`).
 * Each carries the status, the MoMo code, the message and the X-Reference-Id of the call, when it had one.
 * A transaction that FAILED is not an error: its result has `status: 'FAILED'` and a typed `reason`.
 */

export interface MomoErrorDetails {
  readonly status: number | null;
  readonly code: string;
  readonly message: string;
  readonly referenceId?: string | undefined;
  /** The response body as received, parsed when it was JSON. */
  readonly raw?: unknown;
}

export class MomoError extends Error {
  override readonly name: string = 'MomoError';
  readonly status: number | null;
  readonly code: string;
  readonly referenceId: string | undefined;
  readonly raw: unknown;

  constructor(details: MomoErrorDetails) {
    super(details.message);
    this.status = details.status;
    this.code = details.code;
    this.referenceId = details.referenceId;
    this.raw = details.raw;
  }
}

/** 400: the request was refused as invalid (`BAD_REQUEST`, `INVALID_CURRENCY`, …). */
export class MomoInvalidRequestError extends MomoError {
  override readonly name = 'MomoInvalidRequestError';
}
/** 401: subscription key, API user credentials or access token refused. */
export class MomoAuthenticationError extends MomoError {
  override readonly name = 'MomoAuthenticationError';
}
/** 403: not allowed (`NOT_ALLOWED`, `NOT_ALLOWED_TARGET_ENVIRONMENT`). */
export class MomoPermissionError extends MomoError {
  override readonly name = 'MomoPermissionError';
}
/** 404: no such resource for this API user. */
export class MomoNotFoundError extends MomoError {
  override readonly name = 'MomoNotFoundError';
}
/** 409: the X-Reference-Id was used before (`RESOURCE_ALREADY_EXIST`). */
export class MomoConflictError extends MomoError {
  override readonly name = 'MomoConflictError';
}
/**
 * 429: too many requests (MTN's gateway limits calls per second; OpenMoMo, failed logins). Nothing was done:
 * reads and creations are retried after a backoff, like a 5xx.
 */
export class MomoRateLimitError extends MomoError {
  override readonly name = 'MomoRateLimitError';
}

/** 5xx: the platform failed; a retry of an idempotent call may succeed. */
export class MomoServerError extends MomoError {
  override readonly name = 'MomoServerError';
}
/** No HTTP answer: connection refused or reset, DNS, or the call's timeout. */
export class MomoConnectionError extends MomoError {
  override readonly name = 'MomoConnectionError';
}

/** The error for an HTTP answer, from the three body families MoMo uses. */
export function errorFromResponse(status: number, body: unknown, referenceId: string | undefined): MomoError {
  const { code, message } = describeBody(status, body);
  const details = { status, code, message, referenceId, raw: body };
  if (status === 400 || status === 413) {
    return new MomoInvalidRequestError(details);
  }
  if (status === 401) {
    return new MomoAuthenticationError(details);
  }
  if (status === 403) {
    return new MomoPermissionError(details);
  }
  if (status === 404) {
    return new MomoNotFoundError(details);
  }
  if (status === 409) {
    return new MomoConflictError(details);
  }
  if (status === 429) {
    return new MomoRateLimitError(details);
  }
  return status >= 500 ? new MomoServerError(details) : new MomoError(details);
}

function describeBody(status: number, body: unknown): { code: string; message: string } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  // Wallet: {code, message}; gateway: {statusCode, message}; token endpoint: {error[, error_description]}.
  const code =
    typeof record.code === 'string'
      ? record.code
      : typeof record.error === 'string'
        ? record.error
        : `HTTP_${status}`;
  const message =
    typeof record.message === 'string'
      ? record.message
      : typeof record.error_description === 'string'
        ? record.error_description
        : typeof body === 'string' && body !== ''
          ? body
          : `HTTP ${status}`;
  return { code, message };
}
