/** A real HTTP server that records the callbacks it receives and answers with the status a test sets. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly receivedAtMs: number;
}

export interface CallbackReceiver {
  readonly port: number;
  readonly received: ReceivedCallback[];
  /** The URL of `path` on this receiver, on host 127.0.0.1. */
  url(path?: string): string;
  /** The status the next callbacks are answered with (default 200). */
  answerWith(status: number): void;
  /**
   * From now on, answers a callback whose path and body it has received before with `status`, as a receiver
   * that deduplicates does; undefined answers repeats like any other callback again.
   */
  answerRepeatsWith(status: number | undefined): void;
  /** Resolves once `count` callbacks have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

export async function startCallbackReceiver(port = 0): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  let status = 200;
  let repeatStatus: number | undefined;
  const seen = new Set<string>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a test asserting on it will show what arrived.
      }
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        receivedAtMs: Date.now(),
      });
      const key = `${request.url ?? ''}\n${text}`;
      const repeated = seen.has(key);
      seen.add(key);
      response.writeHead(repeated && repeatStatus !== undefined ? repeatStatus : status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    received,
    url: (path = '/callback') => `http://127.0.0.1:${actualPort}${path}`,
    answerWith(next) {
      status = next;
    },
    answerRepeatsWith(next) {
      repeatStatus = next;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} callbacks within ${timeoutMs} ms, got ${received.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The first callback `matches` accepts, waiting up to `timeoutMs` for it; throws if none arrives by then. */
export async function waitForCallback(
  receiver: CallbackReceiver,
  matches: (callback: ReceivedCallback) => boolean,
  timeoutMs = 5000,
): Promise<ReceivedCallback> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const callback = receiver.received.find(matches);
    if (callback !== undefined) {
      return callback;
    }
    if (Date.now() > deadline) {
      throw new Error(`no matching callback within ${timeoutMs} ms; received ${receiver.received.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The callback that arrived at `path` of the receiver, waiting up to `timeoutMs` for it. */
export const callbackAt = (receiver: CallbackReceiver, path: string, timeoutMs = 5000) =>
  waitForCallback(receiver, (callback) => callback.path === path, timeoutMs);
