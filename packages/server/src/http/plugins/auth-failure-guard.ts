/**
 * Brute-force protection: a client address that collects `limit` authentication failures (any 401: bad
 * subscription key, bad API key, bad or expired token, bad operator token) within the window is refused with
 * 429, in the API gateway's shape with Retry-After, until the window ends.
 *
 * Failures are counted in the database, so every server on it counts together; each server refuses from what
 * it last learned, without a query on the way in. An address therefore gets at most `limit` failures plus one
 * per other server before all of them refuse it.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../services/context.js';
import type { AuthFailureWindow, Store } from '../../storage/store.js';

/** At most this many addresses are remembered by a server: expired ones are dropped first, then the oldest. */
const TRACKED_ADDRESSES_MAX_DEFAULT = 10_000;

export interface AuthFailureGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** Where the failures of every server are counted. */
  readonly counter: Store['authFailures'];
  readonly trackedAddressesMax?: number;
}

export function installAuthFailureGuard(app: FastifyInstance, options: AuthFailureGuardOptions): void {
  const known = new Map<string, AuthFailureWindow>();
  const trackedAddressesMax = options.trackedAddressesMax ?? TRACKED_ADDRESSES_MAX_DEFAULT;
  let nextCleanUpAtMs = 0;

  function remember(address: string, window: AuthFailureWindow, nowMs: number): void {
    known.delete(address);
    if (known.size >= trackedAddressesMax) {
      for (const [tracked, trackedWindow] of known) {
        if (trackedWindow.windowEndsAtMs <= nowMs) {
          known.delete(tracked);
        }
      }
    }
    if (known.size >= trackedAddressesMax) {
      // Still full within one window (many addresses failing at once): forget the oldest, so memory stays
      // bounded whatever a client sends.
      const oldest = known.keys().next();
      if (oldest.done !== true) {
        known.delete(oldest.value);
      }
    }
    known.set(address, window);
  }

  /** What this server alone saw: the fallback while the database cannot count. */
  function countedHere(address: string, nowMs: number): AuthFailureWindow {
    const window = known.get(address);
    return window === undefined || window.windowEndsAtMs <= nowMs
      ? { failures: 1, windowEndsAtMs: nowMs + options.windowMs }
      : { failures: window.failures + 1, windowEndsAtMs: window.windowEndsAtMs };
  }

  app.addHook('onRequest', async (request, reply) => {
    const window = known.get(request.ip);
    const nowMs = options.clock.nowMs();
    if (window === undefined || window.windowEndsAtMs <= nowMs || window.failures < options.limit) {
      return;
    }
    const retryAfterSeconds = Math.ceil((window.windowEndsAtMs - nowMs) / 1000);
    return reply
      .code(429)
      .header('retry-after', String(retryAfterSeconds))
      .send({
        statusCode: 429,
        message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
      });
  });

  // Counted before the 401 leaves, so a client cannot send its next attempt ahead of the count.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 401) {
      return payload;
    }
    const nowMs = options.clock.nowMs();
    let window: AuthFailureWindow;
    try {
      window = await options.counter.record(request.ip, nowMs, options.windowMs);
    } catch (error) {
      request.log.warn({ err: error }, 'authentication failure counted by this server only');
      window = countedHere(request.ip, nowMs);
    }
    remember(request.ip, window, nowMs);
    if (nowMs >= nextCleanUpAtMs) {
      nextCleanUpAtMs = nowMs + options.windowMs;
      await options.counter.deleteEnded(nowMs).catch((error: unknown) => {
        request.log.warn({ err: error }, 'ended authentication failure windows not deleted');
      });
    }
    return payload;
  });
}
