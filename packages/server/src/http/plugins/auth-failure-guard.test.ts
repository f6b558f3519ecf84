import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../../test/support/engines.js';
import { systemClock } from '../../services/context.js';
import { openStore } from '../../storage/open-store.js';
import type { Store } from '../../storage/store.js';
import { installAuthFailureGuard } from './auth-failure-guard.js';

let store: Store;
let servers: FastifyInstance[];

/** A server on the shared store whose only route refuses everyone, as a wrong key would. */
async function loginServer(trackedAddressesMax = 100): Promise<FastifyInstance> {
  // Every hop trusted: each request names its client in X-Forwarded-For, as many attackers at once would.
  const app = Fastify({ trustProxy: true });
  installAuthFailureGuard(app, {
    limit: 2,
    windowMs: 60_000,
    clock: systemClock,
    counter: store.authFailures,
    trackedAddressesMax,
  });
  app.get('/login', async (_request, reply) => reply.code(401).send({ code: 'UNAUTHORIZED' }));
  await app.ready();
  servers.push(app);
  return app;
}

beforeEach(async () => {
  store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
  servers = [];
});

afterEach(async () => {
  await Promise.all(servers.map((app) => app.close()));
  await store.close();
});

const loginFrom = async (app: FastifyInstance, address: string) =>
  (await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': address } })).statusCode;

describe('authentication failure guard', () => {
  it('refuses an address with 429 once it reached the limit', async () => {
    const app = await loginServer();
    await loginFrom(app, '203.0.113.1');
    await loginFrom(app, '203.0.113.1');

    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
    expect(await loginFrom(app, '203.0.113.2')).toBe(401);
  });

  it('counts the failures an address made on other servers of the same database', async () => {
    const first = await loginServer();
    const second = await loginServer();
    await loginFrom(first, '203.0.113.1');
    await loginFrom(first, '203.0.113.1');
    expect(await loginFrom(first, '203.0.113.1')).toBe(429);

    // The second server has seen nothing yet: one more failure there tells it the shared count.
    expect(await loginFrom(second, '203.0.113.1')).toBe(401);
    expect(await loginFrom(second, '203.0.113.1')).toBe(429);
  });

  it('still counts on its own when the database cannot', async () => {
    const app = await loginServer();
    await store.close();
    await loginFrom(app, '203.0.113.1');
    await loginFrom(app, '203.0.113.1');

    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
    store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
  });

  it('remembers at most its bound of addresses, forgetting the oldest first', async () => {
    const app = await loginServer(2);
    for (const address of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.3']) {
      await loginFrom(app, address);
    }

    expect(await loginFrom(app, '203.0.113.3')).toBe(429);
    // Forgotten here, so let through once; the database's count refuses it again straight after.
    expect(await loginFrom(app, '203.0.113.1')).toBe(401);
    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
  });
});
