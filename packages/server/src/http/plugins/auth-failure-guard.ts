/**
 * Brute-force protection: a client address that collects `limit` authentication failures (any 401: bad
 * subscription key, bad API key, bad or expired token, bad operator token) within the window is refused with
 * 429, in the API gateway's shape with Retry-After, until the window ends. Counted in memory per server.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../services/context.js';

/** Above this many tracked addresses, expired ones are dropped, so memory stays bounded. */
const TRACKED_ADDRESSES_MAX = 10_000;

export interface AuthFailureGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
}

export function installAuthFailureGuard(app: FastifyInstance, options: AuthFailureGuardOptions): void {
  const failures = new Map<string, { count: number; windowEndsAtMs: number }>();

  app.addHook('onRequest', async (request, reply) => {
    const entry = failures.get(request.ip);
    const nowMs = options.clock.nowMs();
    if (entry === undefined || entry.windowEndsAtMs <= nowMs || entry.count < options.limit) {
      return;
    }
    const retryAfterSeconds = Math.ceil((entry.windowEndsAtMs - nowMs) / 1000);
    return reply
      .code(429)
      .header('retry-after', String(retryAfterSeconds))
      .send({
        statusCode: 429,
        message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
      });
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401) {
      return;
    }
    const nowMs = options.clock.nowMs();
    const entry = failures.get(request.ip);
    if (entry === undefined || entry.windowEndsAtMs <= nowMs) {
      if (failures.size >= TRACKED_ADDRESSES_MAX) {
        for (const [address, tracked] of failures) {
          if (tracked.windowEndsAtMs <= nowMs) {
            failures.delete(address);
          }
        }
      }
      failures.set(request.ip, { count: 1, windowEndsAtMs: nowMs + options.windowMs });
    } else {
      entry.count++;
    }
  });
}
