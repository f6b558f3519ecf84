import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase, runSqlBehindTheServer, type TestDatabase } from '../../test/support/engines.js';
import { ManualClock } from '../../test/support/test-server.js';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/store.js';
import { type AccessService, createAccessService } from './access-service.js';
import { createPlatformEvents } from './context.js';
import { loadTokenCodec } from './token-codec.js';

const WELL_FORMED_KEY = '0123456789abcdef0123456789abcdef';

describe('AccessService subscription keys', () => {
  let store: Store;
  let database: TestDatabase;
  const open = async (sandboxMode: boolean, clock = new ManualClock()): Promise<AccessService> => {
    const context = {
      store,
      config: loadConfig({}, { sandboxMode }),
      clock,
      signals: { settlementDue: () => undefined, callbacksDue: () => undefined },
      events: createPlatformEvents(),
    };
    return createAccessService(context, await loadTokenCodec(context));
  };

  beforeEach(async () => {
    database = freshTestDatabase('sqlite');
    store = await openStore({ databaseUrl: database.databaseUrl });
  });
  afterEach(() => store.close());

  it('binds a sandbox key to the first product it is used with and refuses it on any other', async () => {
    const access = await open(true);
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection')).toMatchObject({
      kind: 'accepted',
    });
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'disbursement')).toEqual({ kind: 'invalid' });
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection')).toMatchObject({
      kind: 'accepted',
    });
  });

  it('keeps a key enrolled by the provisioning API unbound until its first product call', async () => {
    const access = await open(true);
    const enrolled = await access.checkSubscriptionKey(WELL_FORMED_KEY, null);
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'remittance')).toEqual(enrolled);
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection')).toEqual({ kind: 'invalid' });
  });

  it('enrolls nothing outside sandbox mode', async () => {
    const access = await open(false);
    expect(await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection')).toEqual({ kind: 'invalid' });
  });

  it('enrolls one partner when the same new key arrives many times at once', async () => {
    const access = await open(true);
    const checks = await Promise.all(
      Array.from({ length: 10 }, () => access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection')),
    );
    const partnerIds = new Set(
      checks.map((check) => (check.kind === 'accepted' ? check.partnerId : check.kind)),
    );
    expect(partnerIds.size).toBe(1);
  });

  it('stores only a digest of the key', async () => {
    const access = await open(true);
    await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection');
    const { hashKey } = await import('./secrets.js');
    expect(await store.subscriptionKeys.findByHash(WELL_FORMED_KEY)).toBeUndefined();
    expect(await store.subscriptionKeys.findByHash(hashKey(WELL_FORMED_KEY))).toBeDefined();
  });

  it('trusts a key it looked up for 30 seconds, then asks the database again', async () => {
    const clock = new ManualClock();
    const access = await open(false, clock);
    const partnerId = await access.createPartner('partner');
    const key = await access.issueSubscriptionKey(partnerId, 'collection');
    expect(await access.checkSubscriptionKey(key, 'collection')).toEqual({ kind: 'accepted', partnerId });

    await runSqlBehindTheServer(database, 'delete from subscription_keys');

    clock.advance(30_000);
    expect(await access.checkSubscriptionKey(key, 'collection')).toEqual({ kind: 'accepted', partnerId });
    clock.advance(1);
    expect(await access.checkSubscriptionKey(key, 'collection')).toEqual({ kind: 'invalid' });
  });

  it('answers from memory only for a key it has cached for that product', async () => {
    const access = await open(true);
    expect(access.checkSubscriptionKeyInMemory(WELL_FORMED_KEY, 'collection')).toBeUndefined();

    const enrolled = await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection');

    expect(access.checkSubscriptionKeyInMemory(WELL_FORMED_KEY, 'collection')).toEqual(enrolled);
    expect(access.checkSubscriptionKeyInMemory(WELL_FORMED_KEY, null)).toEqual(enrolled);
    // Bound to collection: another product's answer (invalid) is left to the full check.
    expect(access.checkSubscriptionKeyInMemory(WELL_FORMED_KEY, 'disbursement')).toBeUndefined();
    expect(access.checkSubscriptionKeyInMemory(undefined, 'collection')).toEqual({ kind: 'missing' });
  });

  it('stops answering from memory once the cached key has aged out', async () => {
    const clock = new ManualClock();
    const access = await open(true, clock);
    await access.checkSubscriptionKey(WELL_FORMED_KEY, 'collection');

    clock.advance(30_001);

    expect(access.checkSubscriptionKeyInMemory(WELL_FORMED_KEY, 'collection')).toBeUndefined();
  });

  it('forgets the authentication failures of windows that have ended', async () => {
    const clock = new ManualClock();
    const access = await open(false, clock);
    await access.countAuthFailure('203.0.113.1');
    await access.countAuthFailure('203.0.113.1');
    clock.advance(60_000);

    expect(await access.countAuthFailure('203.0.113.2')).toEqual({
      failures: 1,
      windowEndsAtMs: clock.nowMs() + 60_000,
    });
    expect(await runSqlBehindTheServer(database, 'select client_address from auth_failures')).toEqual([
      { client_address: '203.0.113.2' },
    ]);
  });
});
