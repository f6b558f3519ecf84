/**
 * Brute-force protection: a client address that collects `limit` authentication failures (any 401: bad
 * subscription key, bad API key, bad or expired token, bad operator token) within the window is refused with
 * 429, in the API gateway's shape with Retry-After, until the window ends.
 *
 * Failures are counted in the database (`AccessService.countAuthFailure`), so every server on it counts
 * together, and each failure is counted before its 401 leaves. Each server refuses from the count it last got
 * back, without a query on the way in: a client that sends one request at a time gets at most `limit`
 * failures plus one per other server.
 *
 * Requests sent in parallel would all be judged before the first of their failures was counted, so a client
 * could try as many secrets at once as it could open requests. Requests that present a secret short enough to
 * guess (`checksGuessableSecret`: an API key, the operator token) are therefore also counted while under way:
 * an address may have at most `limit` of them under way, less its failures in the window, on each server.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../services/context.js';
import type { AuthFailureWindow } from '../../storage/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Gives back the request's place among its address's requests under way as soon as its secret was found
     * right, rather than when its answer ends: an open live event stream would otherwise hold it for hours.
     */
    secretFoundRight: () => void;
  }
}

/** At most this many addresses are remembered by a server; the least recently seen is forgotten first. */
const TRACKED_ADDRESSES_MAX_DEFAULT = 10_000;
/** A 401 waits at most this long for the database to count it; after that the server counts on its own. */
const COUNT_TIMEOUT_MS_DEFAULT = 250;

export interface AuthFailureGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** Counts a failure where every server sees it; answers the address's current window. */
  readonly count: (clientAddress: string) => Promise<AuthFailureWindow>;
  /** Whether a request presents a secret short enough to guess, and so counts while under way. */
  readonly checksGuessableSecret: (request: FastifyRequest) => boolean;
  readonly countTimeoutMs?: number;
  readonly trackedAddressesMax?: number;
}

/** Retry-After of a request refused for the requests its address has under way: they end within moments. */
const UNDER_WAY_RETRY_AFTER_SECONDS = 1;

function refuse(reply: FastifyReply, retryAfterSeconds: number): void {
  reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .send({
      statusCode: 429,
      message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}.`,
    });
}

export function installAuthFailureGuard(app: FastifyInstance, options: AuthFailureGuardOptions): void {
  // Bounded whatever a client sends (many addresses failing at once): the least recently seen is forgotten.
  const known = new LRUCache<string, AuthFailureWindow>({
    max: options.trackedAddressesMax ?? TRACKED_ADDRESSES_MAX_DEFAULT,
  });
  const countTimeoutMs = options.countTimeoutMs ?? COUNT_TIMEOUT_MS_DEFAULT;
  let nextWarningAtMs = 0;

  function remember(address: string, window: AuthFailureWindow): void {
    const previous = known.get(address);
    // Counts of one window can come back out of order (several connections): never let a lower one win.
    known.set(
      address,
      previous?.windowEndsAtMs === window.windowEndsAtMs && previous.failures > window.failures
        ? previous
        : window,
    );
  }

  /** What this server alone saw: the fallback while the database cannot count. */
  function countedHere(address: string, nowMs: number): AuthFailureWindow {
    const window = known.get(address);
    return window === undefined || window.windowEndsAtMs <= nowMs
      ? { failures: 1, windowEndsAtMs: nowMs + options.windowMs }
      : { failures: window.failures + 1, windowEndsAtMs: window.windowEndsAtMs };
  }

  /** The database's count, or undefined when it failed or did not answer in time. */
  async function countShared(
    address: string,
    log: FastifyBaseLogger,
  ): Promise<AuthFailureWindow | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), countTimeoutMs);
    });
    try {
      const outcome = await Promise.race([options.count(address), timedOut]);
      if (outcome !== 'timed-out') {
        return outcome;
      }
      warnAtMostOncePerWindow(log, undefined);
    } catch (error) {
      warnAtMostOncePerWindow(log, error);
    } finally {
      clearTimeout(timer);
    }
    return undefined;
  }

  function warnAtMostOncePerWindow(log: FastifyBaseLogger, error: unknown): void {
    const nowMs = options.clock.nowMs();
    if (nowMs >= nextWarningAtMs) {
      nextWarningAtMs = nowMs + options.windowMs;
      log.warn(
        { err: error },
        'authentication failures counted by this server only: the database did not count',
      );
    }
  }

  // Only addresses with requests under way are kept: an entry goes when its last request ends.
  const underWay = new Map<string, number>();
  app.decorateRequest('secretFoundRight', () => undefined);

  app.addHook('onRequest', (request, reply, done) => {
    const window = known.get(request.ip);
    const nowMs = options.clock.nowMs();
    const failures = window === undefined || window.windowEndsAtMs <= nowMs ? 0 : window.failures;
    if (failures >= options.limit && window !== undefined) {
      refuse(reply, Math.ceil((window.windowEndsAtMs - nowMs) / 1000));
      return;
    }
    if (!options.checksGuessableSecret(request)) {
      done();
      return;
    }
    const address = request.ip;
    const pending = underWay.get(address) ?? 0;
    if (failures + pending >= options.limit) {
      refuse(reply, UNDER_WAY_RETRY_AFTER_SECONDS);
      return;
    }
    underWay.set(address, pending + 1);
    let released = false;
    const release = () => {
      if (released) {
        return;
      }
      released = true;
      const left = (underWay.get(address) ?? 1) - 1;
      if (left === 0) {
        underWay.delete(address);
      } else {
        underWay.set(address, left);
      }
    };
    request.secretFoundRight = release;
    // 'close' comes once the answer is sent or the connection is gone, whichever way the request ends.
    reply.raw.once('close', release);
    done();
  });

  // Counted before the 401 leaves, so a client cannot send its next attempt ahead of the count. A callback
  // hook, not an async one: every other response passes straight through, without a promise of its own.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 401) {
      done(null, payload);
      return;
    }
    countShared(request.ip, request.log)
      .then((shared) => {
        remember(request.ip, shared ?? countedHere(request.ip, options.clock.nowMs()));
      })
      .then(() => done(null, payload), done)
      // Only a throw inside Fastify's own `done` gets here; it must not become an unhandled rejection.
      .catch((error: unknown) => request.log.error({ err: error }, 'sending a 401 failed'));
  });
}
