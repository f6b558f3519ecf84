/**
 * One HTTP call with its retries. A call is retried after a connection error, a 429 or a 5xx only when it is
 * idempotent: reads, and creations whose X-Reference-Id was fixed before the first attempt. A 409 on a
 * creation, after an earlier attempt that may have got through (no answer, or a 5xx), means it did: the call
 * succeeded (stripe-node's rule for idempotency keys; MoMo answers a reused X-Reference-Id with 409). A 401
 * gets the call new credentials once (`reauthenticate`), within the same attempts, so that a creation whose
 * answer was lost before its token expired still counts its 409 as its success. A 429 or 503 that says when to
 * ask again (Retry-After) is asked again then, unless that is more than `MAX_RETRY_AFTER_MS` away.
 */
import { errorFromResponse, MomoConnectionError, MomoError } from './errors.js';
import { type RetryPolicy, retryDelayMs } from './retry-policy.js';

export type Fetch = typeof fetch;

export interface TransportOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fetch: Fetch;
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
  /** The caller's: ends the attempt under way and the waits between attempts (`ABORTED`). */
  readonly signal?: AbortSignal | undefined;
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

/**
 * The longest Retry-After a call waits for (a minute, stripe-node's cap): a server that asks for more would hold
 * the call longer than any caller expects, so its error is thrown at once with `retryAfterMs`, for the caller
 * to decide.
 */
const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  if (/^\s*\d+\s*$/.test(header)) {
    return Number(header) * 1000;
  }
  // Otherwise only an HTTP date, which names a day or a month: Date.parse reads '1.5' or '-1' as dates too.
  if (!/[a-z]/i.test(header)) {
    return undefined;
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Resolves after `ms`, or as soon as `signal` aborts: the caller then checks `signal.aborted`. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * `work`'s outcome, or the ABORTED error as soon as `signal` aborts. `work` itself goes on: it may be shared with
 * other callers (the token a product's calls wait for), whom this caller's abort must not fail.
 */
export async function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
  referenceId?: string,
): Promise<T> {
  if (signal === undefined) {
    return work;
  }
  if (signal.aborted) {
    throw abortedError(what, signal, referenceId);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(abortedError(what, signal, referenceId));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort !== undefined) {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** The error for a call or a wait its caller aborted. */
export function abortedError(what: string, signal: AbortSignal, referenceId?: string): MomoConnectionError {
  const reason: unknown = signal.reason;
  const why =
    reason instanceof Error && reason.name !== 'AbortError'
      ? `: ${reason.message}`
      : typeof reason === 'string'
        ? `: ${reason}`
        : '';
  return new MomoConnectionError({
    status: null,
    code: 'ABORTED',
    message: `${what} was aborted${why}`,
    referenceId,
  });
}

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
    let headers = call.headers;
    let reauthenticated = false;
    let mayHaveGotThrough = false;
    for (let retries = 0; ; ) {
      let failure: MomoError;
      try {
        const answer = await this.#attempt({ ...call, ...(headers === undefined ? {} : { headers }) });
        if (answer.status < 400) {
          return { status: answer.status, body: answer.body };
        }
        if (answer.status === 409 && call.isCreation === true && mayHaveGotThrough) {
          return { status: 202, body: undefined };
        }
        if (answer.status === 401 && call.reauthenticate !== undefined && !reauthenticated) {
          reauthenticated = true;
          headers = { ...headers, ...(await call.reauthenticate()) };
          continue;
        }
        failure = errorFromResponse(answer.status, answer.body, call.referenceId, answer.retryAfterMs);
      } catch (error) {
        if (!(error instanceof MomoError)) {
          throw error;
        }
        failure = error;
      }
      // The caller no longer wants an answer: trying again would only spend what the abort meant to save.
      if (
        call.signal?.aborted === true ||
        (failure.status !== null && failure.status < 500 && failure.status !== 429) ||
        isRefusal(failure)
      ) {
        throw failure;
      }
      // A 429 was refused before any work was done; no answer, or a 5xx, may have been handled.
      mayHaveGotThrough ||= failure.status !== 429;
      const waitMs = failure.retryAfterMs ?? retryDelayMs(retry, retries + 1);
      if (!call.idempotent || retries >= retry.maxRetries || waitMs > MAX_RETRY_AFTER_MS) {
        throw failure;
      }
      retries++;
      await pause(waitMs, call.signal);
    }
  }

  async #attempt(call: HttpCall): Promise<HttpAnswer & { retryAfterMs: number | undefined }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...call.headers };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    }
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    let response: Response | undefined;
    try {
      response = await this.#options.fetch(`${this.#options.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: call.signal === undefined ? timeout : AbortSignal.any([timeout, call.signal]),
      });
      // The body is read under the same timeout: a server may send its headers and then stall or hang up.
      const text = await response.text();
      return {
        status: response.status,
        body: parseBody(text),
        retryAfterMs:
          response.status === 429 || response.status === 503
            ? retryAfterMs(response.headers.get('Retry-After'))
            : undefined,
      };
    } catch (error) {
      if (call.signal?.aborted === true) {
        throw abortedError(`${call.method} ${call.path}`, call.signal, call.referenceId);
      }
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const outcome =
        response === undefined ? 'got no answer' : `got HTTP ${response.status} but not its whole body`;
      throw new MomoConnectionError({
        status: null,
        code: timeout.aborted ? 'TIMEOUT' : 'CONNECTION_FAILED',
        message: `${call.method} ${call.path} ${outcome}: ${error instanceof Error ? error.message : String(error)}${cause}`,
        referenceId: call.referenceId,
      });
    }
  }
}
