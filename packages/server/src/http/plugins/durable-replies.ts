/**
 * No answer leaves before what it reflects is on disk (decision 0027). A transaction's own promise waits for
 * its flush, but a read, or a write outside a transaction, can see or make a commit whose flush is still under
 * way; this waits for it. With nothing left to flush, an answer passes straight through, without a promise.
 */
import type { FastifyInstance } from 'fastify';

export function installDurableReplies(
  app: FastifyInstance,
  untilDurable: () => Promise<void> | undefined,
): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // A server error reflects nothing committed; and after a failed flush the 503 itself must get out.
    const durable = reply.statusCode >= 500 ? undefined : untilDurable();
    if (durable === undefined) {
      done(null, payload);
      return;
    }
    durable
      .then(() => done(null, payload), done)
      // Only a throw inside Fastify's own `done` gets here: the client must not be left waiting for ever.
      .catch((error: unknown) => {
        request.log.error({ err: error }, 'sending an answer failed');
        reply.raw.destroy();
      });
  });
}
