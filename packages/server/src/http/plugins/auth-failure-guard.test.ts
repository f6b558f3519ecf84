import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../services/context.js';
import { installAuthFailureGuard } from './auth-failure-guard.js';

let app: FastifyInstance;

beforeEach(async () => {
  // Every hop trusted: each request names its client in X-Forwarded-For, as many attackers at once would.
  app = Fastify({ trustProxy: true });
  installAuthFailureGuard(app, { limit: 1, windowMs: 60_000, clock: systemClock, trackedAddressesMax: 2 });
  app.get('/login', async (_request, reply) => reply.code(401).send({ code: 'UNAUTHORIZED' }));
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

const loginFrom = async (address: string) =>
  (await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': address } })).statusCode;

describe('authentication failure guard', () => {
  it('refuses an address with 429 once it reached the limit', async () => {
    await loginFrom('203.0.113.1');

    expect(await loginFrom('203.0.113.1')).toBe(429);
  });

  it('tracks at most its bound of addresses, forgetting the oldest first', async () => {
    await loginFrom('203.0.113.1');
    await loginFrom('203.0.113.2');
    await loginFrom('203.0.113.3');

    expect(await loginFrom('203.0.113.1')).toBe(401);
    expect(await loginFrom('203.0.113.3')).toBe(429);
  });
});
