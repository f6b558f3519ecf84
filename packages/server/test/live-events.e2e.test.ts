/**
 * The operator's live event stream (/admin/v1/events, server-sent events, what the dashboard listens to): a
 * change is streamed by the server that made it, and on PostgreSQL by every other server on the database too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { CollectionClient, requestToPayBody } from './support/momo-client.js';
import { startTestServer } from './support/test-server.js';

interface StreamedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Opens a server's event stream; `next(match)` resolves with the first event that matches, or rejects. */
async function openEventStream(baseUrl: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/admin/v1/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const seen: StreamedEvent[] = [];
  async function next(match: (event: StreamedEvent) => boolean, timeoutMs = 5000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = seen.find(match);
      if (found !== undefined) {
        return found;
      }
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no matching event in time')), Math.max(0, deadline - Date.now())),
      );
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) {
        throw new Error('the stream ended');
      }
      buffered += decoder.decode(value, { stream: true });
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop() ?? '';
      for (const block of blocks) {
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (type !== undefined && data !== undefined) {
          seen.push({ type, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    }
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next,
    close: () => controller.abort(),
  };
}

const requestToPayEvent = (status: string) => (event: StreamedEvent) =>
  event.type === 'transaction' && event.data.kind === 'REQUEST_TO_PAY' && event.data.status === status;

describe.each(ENGINES)('the live event stream on %s', (engine) => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) {
      await close();
    }
  });
  const started = async (options: Parameters<typeof startTestServer>[1] = {}) => {
    const server = await startTestServer(engine, options);
    closers.push(() => server.close());
    return server;
  };

  it("streams a request to pay's creation and its decision as they happen", async () => {
    const server = await started();
    const stream = await openEventStream(server.baseUrl);
    closers.push(stream.close);
    const client = await CollectionClient.create(server.baseUrl);

    await client.requestToPay(requestToPayBody());

    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream');
    const created = await stream.next(requestToPayEvent('PENDING'));
    const decided = await stream.next(requestToPayEvent('SUCCESSFUL'));
    expect(decided.data.transactionId).toBe(created.data.transactionId);
  });

  if (engine === 'postgres') {
    it('streams a change made through another server on the same database', async () => {
      const first = await started();
      const second = await started({ database: first.database });
      const stream = await openEventStream(second.baseUrl);
      closers.push(stream.close);
      const client = await CollectionClient.create(first.baseUrl);

      await client.requestToPay(requestToPayBody());

      await stream.next(requestToPayEvent('PENDING'));
    });
  }
});
