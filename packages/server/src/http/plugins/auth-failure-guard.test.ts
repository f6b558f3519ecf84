import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../../../test/support/engines.js';
import { loadConfig } from '../../config.js';
import { type AccessService, createAccessService } from '../../services/access-service.js';
import { createPlatformEvents, systemClock } from '../../services/context.js';
import { loadTokenCodec } from '../../services/token-codec.js';
import { openStore } from '../../storage/open-store.js';
import type { Store } from '../../storage/store.js';
import { installAuthFailureGuard } from './auth-failure-guard.js';

const LIMIT = 2;
let stores: Store[];
let servers: FastifyInstance[];

async function accessOn(database: TestDatabase): Promise<{ store: Store; access: AccessService }> {
  const store = await openStore({
    databaseUrl: database.databaseUrl,
    ...(database.postgresSchema === undefined ? {} : { postgresSchema: database.postgresSchema }),
  });
  stores.push(store);
  const context = {
    store,
    config: loadConfig({}, { authFailureWindowSeconds: 60 }),
    clock: systemClock,
    signals: { settlementDue: () => undefined, callbacksDue: () => undefined },
    events: createPlatformEvents(),
  };
  return { store, access: createAccessService(context, await loadTokenCodec(context)) };
}

/** A server whose only route refuses everyone, as a wrong key would, counting through `access`. */
async function loginServer(
  access: Pick<AccessService, 'countAuthFailure'>,
  trackedAddressesMax = 100,
  logLines: string[] = [],
): Promise<FastifyInstance> {
  // Every hop trusted: each request names its client in X-Forwarded-For, as many attackers at once would.
  const app = Fastify({
    trustProxy: true,
    logger: { level: 'warn', stream: { write: (line: string) => logLines.push(line) } },
  });
  installAuthFailureGuard(app, {
    limit: LIMIT,
    windowMs: 60_000,
    clock: systemClock,
    count: (clientAddress) => access.countAuthFailure(clientAddress),
    countTimeoutMs: 100,
    trackedAddressesMax,
    checksGuessableSecret: (request) => request.url !== '/public',
  });
  // A wrong key takes a moment to judge, as a real check of a stored key does.
  app.get('/login', async (_request, reply) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return reply.code(401).send({ code: 'UNAUTHORIZED' });
  });
  app.get('/right-key', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { ok: true };
  });
  app.get('/public', async () => ({ ok: true }));
  await app.ready();
  servers.push(app);
  return app;
}

beforeEach(() => {
  stores = [];
  servers = [];
});

afterEach(async () => {
  await Promise.all(servers.map((app) => app.close()));
  await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
});

const loginFrom = async (app: FastifyInstance, address: string) =>
  (await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': address } })).statusCode;

describe('authentication failure guard', () => {
  it('refuses an address with 429 once it reached the limit', async () => {
    const app = await loginServer((await accessOn(freshTestDatabase('sqlite'))).access);
    await loginFrom(app, '203.0.113.1');
    await loginFrom(app, '203.0.113.1');

    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
    expect(await loginFrom(app, '203.0.113.2')).toBe(401);
  });

  it('counts the failures an address made on other servers of the same database', async () => {
    const database = freshTestDatabase('sqlite');
    const first = await loginServer((await accessOn(database)).access);
    const second = await loginServer((await accessOn(database)).access);
    await loginFrom(first, '203.0.113.1');
    await loginFrom(first, '203.0.113.1');
    expect(await loginFrom(first, '203.0.113.1')).toBe(429);

    // The second server has seen nothing yet: one more failure there tells it the shared count.
    expect(await loginFrom(second, '203.0.113.1')).toBe(401);
    expect(await loginFrom(second, '203.0.113.1')).toBe(429);
  });

  it('still counts on its own when the database fails', async () => {
    const { store, access } = await accessOn(freshTestDatabase('sqlite'));
    const app = await loginServer(access);
    await store.close();
    await loginFrom(app, '203.0.113.1');
    await loginFrom(app, '203.0.113.1');

    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
  });

  it('warns once per window, not once per failure, while the database cannot count', async () => {
    const { store, access } = await accessOn(freshTestDatabase('sqlite'));
    const logLines: string[] = [];
    const app = await loginServer(access, 100, logLines);
    await store.close();
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      await loginFrom(app, address);
    }

    const warnings = logLines.filter((line) => line.includes('counted by this server only'));
    expect(warnings).toHaveLength(1);
  });

  it('still counts on its own, without waiting, when the database does not answer', async () => {
    const database = freshTestDatabase('postgres');
    const app = await loginServer((await accessOn(database)).access);
    const locker = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table ${database.postgresSchema}.auth_failures in access exclusive mode`);
      const startedAtMs = Date.now();
      await loginFrom(app, '203.0.113.1');
      await loginFrom(app, '203.0.113.1');

      expect(await loginFrom(app, '203.0.113.1')).toBe(429);
      expect(Date.now() - startedAtMs).toBeLessThan(2_000);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });

  it('keeps the higher count when two counts of one window come back out of order', async () => {
    const { access } = await accessOn(freshTestDatabase('sqlite'));
    // The first failure's count (1) is held back until the second's (2) has come back, as two pooled
    // connections can answer.
    let secondCounted: () => void = () => undefined;
    const secondHasCounted = new Promise<void>((resolve) => {
      secondCounted = resolve;
    });
    let calls = 0;
    const app = await loginServer({
      countAuthFailure: async (clientAddress) => {
        const call = ++calls;
        const window = await access.countAuthFailure(clientAddress);
        if (call === 1) {
          await secondHasCounted;
        } else {
          secondCounted();
        }
        return window;
      },
    });
    await Promise.all([loginFrom(app, '203.0.113.1'), loginFrom(app, '203.0.113.1')]);

    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
  });

  it('lets an address try no more secrets at once than the limit, however many it sends together', async () => {
    const app = await loginServer((await accessOn(freshTestDatabase('sqlite'))).access);

    const statuses = await Promise.all(Array.from({ length: 20 }, () => loginFrom(app, '203.0.113.1')));

    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - LIMIT);
  });

  it('frees the place of a request under way once it is answered', async () => {
    const app = await loginServer((await accessOn(freshTestDatabase('sqlite'))).access);
    const rightKeys = () =>
      Promise.all(
        Array.from({ length: LIMIT }, async () => {
          const response = await app.inject({
            method: 'GET',
            url: '/right-key',
            headers: { 'x-forwarded-for': '203.0.113.1' },
          });
          return response.statusCode;
        }),
      );
    await rightKeys();

    expect(await rightKeys()).toEqual(Array(LIMIT).fill(200));
  });

  it('does not limit how many requests without a guessable secret an address has under way', async () => {
    const app = await loginServer((await accessOn(freshTestDatabase('sqlite'))).access);

    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({ method: 'GET', url: '/public', headers: { 'x-forwarded-for': '203.0.113.1' } }),
      ),
    );

    expect(statuses.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
  });

  it('answers, rather than hanging, when remembering a counted failure throws', async () => {
    let reads = 0;
    const app = Fastify();
    installAuthFailureGuard(app, {
      limit: LIMIT,
      windowMs: 60_000,
      // The database does not count, so the server counts on its own. Reads: the 429 check on the way in, the
      // warning's throttle, then the server's own count, which throws.
      clock: {
        nowMs: () => {
          if (++reads === 3) {
            throw new Error('clock failed');
          }
          return Date.now();
        },
      },
      count: () => Promise.reject(new Error('database down')),
      checksGuessableSecret: () => false,
    });
    app.get('/login', async (_request, reply) => reply.code(401).send({ code: 'UNAUTHORIZED' }));
    servers.push(app);

    const response = await app.inject({ method: 'GET', url: '/login' });

    // Fastify keeps the 401 the route set and sends its error body instead; what matters is that it answers.
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ message: 'clock failed' });
  });

  it('remembers at most its bound of addresses, forgetting the least recently seen first', async () => {
    const app = await loginServer((await accessOn(freshTestDatabase('sqlite'))).access, 2);
    for (const address of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.3']) {
      await loginFrom(app, address);
    }

    expect(await loginFrom(app, '203.0.113.3')).toBe(429);
    // Forgotten here, so let through once; the database's count refuses it again straight after.
    expect(await loginFrom(app, '203.0.113.1')).toBe(401);
    expect(await loginFrom(app, '203.0.113.1')).toBe(429);
  });
});
