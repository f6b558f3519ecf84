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
    super(`${code ?? status}: ${message}`);
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
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string };
    throw new OperatorApiError(response.status, error.code, error.message ?? response.statusText);
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
