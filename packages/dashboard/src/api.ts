/** The operator API as the dashboard calls it: the operator token (if any) on every call, and the live stream. */

const TOKEN_KEY = 'openmomo.operatorToken';

export class UnauthorizedError extends Error {}

/** Any other refusal of the operator API, with its HTTP status and MoMo-style code. */
export class OperatorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    // "RESOURCE_NOT_FOUND: No callback has this id." for the operator API's own refusals; "HTTP 502: Bad
    // Gateway" for an answer without a MoMo code.
    super(`${code ?? `HTTP ${status}`}: ${message}`);
    this.name = 'OperatorApiError';
  }
}

export function operatorToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveOperatorToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetOperatorToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = operatorToken();
  const response = await fetch(`/admin/v1${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    throw new UnauthorizedError('The operator token is missing or wrong.');
  }
  const text = await response.text();
  // A refusal may come from something in front of the server (a proxy's 502 page, a gateway timeout): its
  // HTTP status says what happened, not the parse error its body would give.
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!response.ok) {
    const error = (isJson && typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
      code?: unknown;
      message?: unknown;
    };
    const code = typeof error.code === 'string' ? error.code : undefined;
    const message =
      typeof error.message === 'string' ? error.message : response.statusText || 'no explanation given';
    throw new OperatorApiError(response.status, code, message);
  }
  if (!isJson) {
    throw new OperatorApiError(
      response.status,
      undefined,
      'the server answered with something other than JSON',
    );
  }
  return parsed as T;
}

/**
 * Calls `onChange` whenever a transaction or callback changes (server-sent events), until the returned stop;
 * and whenever the stream (re)opens, since whatever changed before then, after the view's first load or while
 * the stream was down, sent its event to nobody.
 */
export function subscribeToChanges(onChange: (type: string) => void): () => void {
  changeListeners.add(onChange);
  sharedStream ??= openChangeStream();
  return () => {
    changeListeners.delete(onChange);
    if (changeListeners.size === 0) {
      sharedStream?.close();
      sharedStream = undefined;
    }
  };
}

/**
 * One stream per tab, whatever the number of live views: a browser keeps at most six connections to a server
 * over HTTP/1.1, and a stream holds one for as long as it is open, so a stream per view soon left none for
 * the dashboard's own requests.
 */
let sharedStream: EventSource | undefined;
const changeListeners = new Set<(type: string) => void>();

/**
 * How long after the browser gave a stream up a new one is opened: doubled each time it is given up again before
 * it opened, up to a minute, so a refusal that lasts (each one a failed authentication, say) is not hammered.
 */
const STREAM_REOPEN_FIRST_DELAY_MS = 2000;
const STREAM_REOPEN_MAX_DELAY_MS = 60_000;
let streamReopenDelayMs = STREAM_REOPEN_FIRST_DELAY_MS;

function openChangeStream(): EventSource {
  const token = operatorToken();
  const source = new EventSource(
    `/admin/v1/events${token === null ? '' : `?token=${encodeURIComponent(token)}`}`,
  );
  for (const type of ['open', 'transaction', 'callback']) {
    source.addEventListener(type, () => {
      for (const listener of [...changeListeners]) {
        listener(type);
      }
    });
  }
  source.addEventListener('open', () => {
    streamReopenDelayMs = STREAM_REOPEN_FIRST_DELAY_MS;
  });
  source.addEventListener('error', () => {
    // The browser reconnects a dropped stream by itself, but gives up for good after an answer that is not a
    // stream (a 429 or 401, a proxy's 502 page): views would then only poll. Open a new one a little later.
    if (source.readyState !== EventSource.CLOSED || sharedStream !== source) {
      return;
    }
    sharedStream = undefined;
    const delayMs = streamReopenDelayMs;
    streamReopenDelayMs = Math.min(delayMs * 2, STREAM_REOPEN_MAX_DELAY_MS);
    setTimeout(() => {
      if (changeListeners.size > 0 && sharedStream === undefined) {
        sharedStream = openChangeStream();
      }
    }, delayMs);
  });
  return source;
}

export interface Health {
  readonly status: string;
  readonly sandboxMode: boolean;
  readonly engine: string;
}

export async function health(): Promise<Health> {
  return (await fetch('/health')).json() as Promise<Health>;
}
