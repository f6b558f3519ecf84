/**
 * Brute-force protection: a client address that collects `limit` authentication failures (any 401: bad
 * subscription key, bad API key, bad or expired token, bad operator token) within the window is refused with
 * 429, in the API gateway's shape with Retry-After, until the window ends. Counted in memory per server.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../services/context.js';

/** At most this many addresses are tracked: expired ones are dropped first, then the oldest. */
const TRACKED_ADDRESSES_MAX_DEFAULT = 10_000;

export interface AuthFailureGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  readonly trackedAddressesMax?: number;
}

export function installAuthFailureGuard(app: FastifyInstance, options: AuthFailureGuardOptions): void {
  const failures = new Map<string, { count: number; windowEndsAtMs: number }>();
  const trackedAddressesMax = options.trackedAddressesMax ?? TRACKED_ADDRESSES_MAX_DEFAULT;

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
      if (failures.size >= trackedAddressesMax) {
        for (const [address, tracked] of failures) {
          if (tracked.windowEndsAtMs <= nowMs) {
            failures.delete(address);
          }
        }
      }
      if (failures.size >= trackedAddressesMax) {
        // Still full within one window (many addresses failing at once): forget the oldest, so memory stays
        // bounded whatever a client sends.
        const oldest = failures.keys().next();
        if (oldest.done !== true) {
          failures.delete(oldest.value);
        }
      }
      failures.set(request.ip, { count: 1, windowEndsAtMs: nowMs + options.windowMs });
    } else {
      entry.count++;
    }
  });
}
