import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FlushFailedError } from '../../storage/dialects/flusher.js';
import { isSqliteUnavailable } from '../../storage/dialects/sqlite.js';
import { installDurableReplies } from './durable-replies.js';
import { installErrorHandling } from './error-handler.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app whose one route answers 200, or fails when `fails` is set, behind the durability gate. */
async function appWaitingFor(untilDurable: () => Promise<void> | undefined, fails = false) {
  app = Fastify();
  installErrorHandling(app, isSqliteUnavailable);
  installDurableReplies(app, untilDurable);
  app.get('/resource', async () => {
    if (fails) {
      throw new Error('a bug');
    }
    return { status: 'SUCCESSFUL' };
  });
  await app.ready();
  return app;
}

describe('installDurableReplies', () => {
  it('holds an answer back until the commits it may reflect are on disk', async () => {
    let flush: () => void = () => undefined;
    const flushed = new Promise<void>((resolve) => {
      flush = resolve;
    });
    const server = await appWaitingFor(() => flushed);
    let answered = false;

    const answer = server.inject('/resource').then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    flush();

    expect((await answer).statusCode).toBe(200);
  });

  it('answers at once when every commit is on disk', async () => {
    const server = await appWaitingFor(() => undefined);

    const response = await server.inject('/resource');

    expect(response.json()).toEqual({ status: 'SUCCESSFUL' });
  });

  it('answers 503 in a MoMo body instead when the flush fails', async () => {
    const server = await appWaitingFor(() => Promise.reject(new FlushFailedError(new Error('EIO'))));

    const response = await server.inject('/resource');

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('lets a server error out without waiting for a flush', async () => {
    const server = await appWaitingFor(() => new Promise<void>(() => undefined), true);

    const response = await server.inject('/resource');

    expect(response.statusCode).toBe(500);
  });
});
