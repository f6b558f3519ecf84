/**
 * Requests too malformed for any route to see, sent over a raw socket: Node's HTTP parser refuses them, or they
 * are never wholly received. They are answered in the API gateway's `{statusCode, message}` body and their
 * connection is closed.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectionClient } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface RawAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Writes `request` as given and reads the answer until the server closes the connection. */
function sendRaw(baseUrl: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) });
    });
  });
}

describe('malformed HTTP', () => {
  const REQUEST_TIMEOUT_MS = 500;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
  });
  afterAll(() => server.close());

  it('answers a header value with a bare carriage return 400 in the gateway shape', async () => {
    const answer = await sendRaw(
      server.baseUrl,
      'GET /collection/v1_0/account/balance HTTP/1.1\r\nHost: x\r\nX-Target-Environment: sand\rbox\r\n\r\n',
    );

    expect(answer).toEqual({
      status: 400,
      body: { statusCode: 400, message: 'The request is not valid HTTP.' },
    });
  });

  it('answers headers larger than the server reads 431 in the gateway shape', async () => {
    const answer = await sendRaw(
      server.baseUrl,
      `GET /collection/v1_0/account/balance HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );

    expect(answer).toEqual({
      status: 431,
      body: { statusCode: 431, message: 'The request headers are too large.' },
    });
  });

  it('answers a body that never arrives in full 408 once the request timeout has passed', async () => {
    const client = await CollectionClient.create(server.baseUrl);
    const headers = Object.entries(client.headers())
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const startedAtMs = Date.now();

    const answer = await sendRaw(
      server.baseUrl,
      `POST /collection/v1_0/requesttopay HTTP/1.1\r\nHost: x\r\n${headers}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"`,
    );

    expect(answer).toEqual({
      status: 408,
      body: { statusCode: 408, message: 'The request was not received in time.' },
    });
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);
  });
});
