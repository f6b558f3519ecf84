/**
 * One HTTP call with its retries. A call is retried after a connection error, a 429 or a 5xx only when it is
 * idempotent: reads, and creations whose X-Reference-Id was fixed before the first attempt. A 409 on a
 * creation, after an earlier attempt that may have got through (no answer, or a 5xx), means it did: the call
 * succeeded (stripe-node's rule for idempotency keys; MoMo answers a reused X-Reference-Id with 409). A 401
 * gets the call new credentials once (`reauthenticate`), within the same attempts, so that a creation whose
 * answer was lost before its token expired still counts its 409 as its success.
 */
import { errorFromResponse, MomoConnectionError, MomoError } from './errors.js';
import { type RetryPolicy, retryDelayMs } from './retry-policy.js';

export type Fetch = typeof fetch;

export interface TransportOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fetch: Fetch;
  /** Waits between attempts; replaced in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** A JSON body. */
  readonly json?: unknown;
  /** A form body (the consent flow). */
  readonly form?: Record<string, string>;
  readonly idempotent: boolean;
  /** The call's X-Reference-Id, named on errors. */
  readonly referenceId?: string;
  /** A creation: a 409 after an attempt that may have got through is that attempt's success. */
  readonly isCreation?: boolean;
  /** New headers for the call after a 401 (a fresh token), asked for once; without it a 401 is thrown. */
  readonly reauthenticate?: () => Promise<Record<string, string>>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The codes of a 500 that may pass if tried again: MTN's platform failing, or no code at all. Any other code on
 * a 500 is a refusal of this request: MTN answers `INVALID_CURRENCY` with 500, and its token endpoint answers
 * bad credentials with 500 `login_failed`. Asking again would be refused again, only later. A 502, 503 or 504
 * says a gateway or the service is away, whatever its body names: always worth asking again.
 */
const PASSING_FAILURE_CODES = new Set([
  'INTERNAL_PROCESSING_ERROR',
  'SERVICE_UNAVAILABLE',
  'COULD_NOT_PERFORM_TRANSACTION',
]);

function isRefusal(failure: MomoError): boolean {
  return (
    failure.status === 500 && !failure.code.startsWith('HTTP_') && !PASSING_FAILURE_CODES.has(failure.code)
  );
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseBody(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  async send(call: HttpCall): Promise<HttpAnswer> {
    const { retry } = this.#options;
    const sleep = this.#options.sleep ?? sleepFor;
    let headers = call.headers;
    let reauthenticated = false;
    let mayHaveGotThrough = false;
    for (let retries = 0; ; ) {
      let failure: MomoError;
      try {
        const answer = await this.#attempt({ ...call, ...(headers === undefined ? {} : { headers }) });
        if (answer.status < 400) {
          return answer;
        }
        if (answer.status === 409 && call.isCreation === true && mayHaveGotThrough) {
          return { status: 202, body: undefined };
        }
        if (answer.status === 401 && call.reauthenticate !== undefined && !reauthenticated) {
          reauthenticated = true;
          headers = { ...headers, ...(await call.reauthenticate()) };
          continue;
        }
        failure = errorFromResponse(answer.status, answer.body, call.referenceId);
      } catch (error) {
        if (!(error instanceof MomoError)) {
          throw error;
        }
        failure = error;
      }
      if ((failure.status !== null && failure.status < 500 && failure.status !== 429) || isRefusal(failure)) {
        throw failure;
      }
      // A 429 was refused before any work was done; no answer, or a 5xx, may have been handled.
      mayHaveGotThrough ||= failure.status !== 429;
      if (!call.idempotent || retries >= retry.maxRetries) {
        throw failure;
      }
      retries++;
      await sleep(retryDelayMs(retry, retries));
    }
  }

  async #attempt(call: HttpCall): Promise<HttpAnswer> {
    const headers: Record<string, string> = { Accept: 'application/json', ...call.headers };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    }
    let response: Response;
    try {
      response = await this.#options.fetch(`${this.#options.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new MomoConnectionError({
        status: null,
        code: error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'CONNECTION_FAILED',
        message: `${call.method} ${call.path} got no answer: ${error instanceof Error ? error.message : String(error)}${cause}`,
        referenceId: call.referenceId,
      });
    }
    return { status: response.status, body: parseBody(await response.text()) };
  }
}
