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
  /** How long a 429 or 503 asked the client to wait (its Retry-After), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

export class MomoError extends Error {
  override readonly name: string = 'MomoError';
  readonly status: number | null;
  readonly code: string;
  readonly referenceId: string | undefined;
  readonly raw: unknown;
  readonly retryAfterMs: number | undefined;

  constructor(details: MomoErrorDetails) {
    super(details.message);
    this.status = details.status;
    this.code = details.code;
    this.referenceId = details.referenceId;
    this.raw = details.raw;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 400: the request was refused as invalid (`BAD_REQUEST`, `INVALID_CURRENCY`, …). */
export class MomoInvalidRequestError extends MomoError {
  override readonly name = 'MomoInvalidRequestError';
}
/**
 * 401: subscription key, API user credentials or access token refused; and the token endpoint's
 * `login_failed`, which MTN answers with 500.
 */
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
 * reads and creations are retried after a backoff, like a 5xx, or after the answer's Retry-After
 * (`retryAfterMs`) when it asks for at most a minute.
 */
export class MomoRateLimitError extends MomoError {
  override readonly name = 'MomoRateLimitError';
}

/** 5xx: the platform failed; a retry of an idempotent call may succeed. */
export class MomoServerError extends MomoError {
  override readonly name = 'MomoServerError';
}
/**
 * No whole HTTP answer: connection refused or reset, DNS, the call's timeout (`TIMEOUT`), a body cut off or
 * stalled after its headers, or the caller's `AbortSignal` (`ABORTED`, never retried).
 */
export class MomoConnectionError extends MomoError {
  override readonly name = 'MomoConnectionError';
}

/** The error for an HTTP answer, from the three body families MoMo uses. */
export function errorFromResponse(
  status: number,
  body: unknown,
  referenceId: string | undefined,
  retryAfterMs?: number,
): MomoError {
  const { code, message } = describeBody(status, body);
  const details = { status, code, message, referenceId, raw: body, retryAfterMs };
  if (code === 'login_failed') {
    // MTN answers it with 500 and no explanation; the cause is almost always credentials that do not match.
    return new MomoAuthenticationError({
      ...details,
      message:
        'The token endpoint refused the API user and API key (login_failed). The API user, its API key and the ' +
        "subscription key most likely do not belong together: a key of another product, another partner's, or " +
        'credentials made for another environment (sandbox ones against a production host, or the reverse).',
    });
  }
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

/**
 * A success answer without what it must carry (a captive portal's or a proxy's page, an empty body): an error,
 * never a value made up from nothing such as a zero balance or a status read as PENDING for ever.
 */
export function unexpectedAnswer(
  answer: { readonly status: number; readonly body: unknown },
  missing: string,
  referenceId?: string,
): MomoError {
  const excerpt =
    typeof answer.body === 'string'
      ? `: ${answer.body.slice(0, 100)}`
      : answer.body === undefined
        ? ': the body was empty'
        : '';
  return new MomoError({
    status: answer.status,
    code: 'UNEXPECTED_RESPONSE',
    message: `HTTP ${answer.status} without ${missing}${excerpt}`,
    referenceId,
    raw: answer.body,
  });
}
