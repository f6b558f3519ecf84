/**
 * The operator's live event stream (/admin/v1/events, server-sent events, what the dashboard listens to): a
 * change is streamed by the server that made it, and on PostgreSQL by every other server on the database too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { openEventStream, requestToPayEvent } from './support/event-stream.js';
import { CollectionClient, requestToPayBody } from './support/momo-client.js';
import { startTestServer } from './support/test-server.js';

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

  it('answers a HEAD of the stream at once, without opening a stream', async () => {
    const server = await started();

    const answer = await fetch(`${server.baseUrl}/admin/v1/events`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(2000),
    });

    expect(answer.status).toBe(404);
  });

  it('ends its open streams when it closes, so a dashboard left open does not hold the server up', async () => {
    const server = await startTestServer(engine);
    const stream = await openEventStream(server.baseUrl);
    closers.push(stream.close);

    const closed = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still closing after 5 s'), 5000)),
    ]);

    expect(closed).toBe('closed');
    await expect(stream.next(() => false, 1000)).rejects.toThrow('the stream ended');
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
