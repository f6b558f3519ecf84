import { describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { ManualClock } from '../../test/support/test-server.js';
import { loadConfig } from '../config.js';
import { createPlatformEvents } from '../services/context.js';
import { openStore } from '../storage/open-store.js';
import { createCallbackRetention } from './callback-retention.js';

describe('callback retention', () => {
  it('tries a sweep that failed again a minute later, not at every poll', async () => {
    const store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
    const clock = new ManualClock();
    const retention = createCallbackRetention({
      store,
      config: loadConfig({}, { sandboxMode: true, callbackRetentionDays: 30 }),
      clock,
      signals: { settlementDue: () => undefined, callbacksDue: () => undefined },
      events: createPlatformEvents(),
    });
    // A database that is gone: every sweep fails.
    await store.close();

    await expect(retention.forgetExpired()).rejects.toThrow();
    await expect(retention.forgetExpired()).resolves.toBe(false);
    clock.advance(60_000);
    await expect(retention.forgetExpired()).rejects.toThrow();
  });
});
