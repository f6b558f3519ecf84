import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { seedApiUser, transactionRecord } from '../../test/support/records.js';
import { ManualClock } from '../../test/support/test-server.js';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/open-store.js';
import type { Store, TransactionRecord } from '../storage/store.js';
import { createPlatformEvents } from './context.js';
import { createSettlementService, FAILED_DECISION_RETRY_MS } from './settlement-service.js';

const NOW = 1_700_000_000_000;

describe('SettlementService deciding due transactions', () => {
  let store: Store;
  let apiUserId: string;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
    apiUserId = await seedApiUser(store, NOW);
  });
  afterEach(() => store.close());

  /** An approved pre-approval due at `decideAtMs`, valid for `validityTime` seconds once approved. */
  async function duePreapproval(decideAtMs: number, validityTime: number): Promise<TransactionRecord> {
    const transaction = transactionRecord({
      apiUserId,
      kind: 'PREAPPROVAL',
      amountMinor: 0n,
      externalId: null,
      decideAtMs,
      requestJson: JSON.stringify({ validityTime }),
      createdAtMs: NOW,
      updatedAtMs: NOW,
    });
    await store.transactions.insertIfAbsent(transaction);
    return transaction;
  }

  it('tries a decision that fails again later, behind the transactions due meanwhile, so it cannot stop the rest', async () => {
    const settlement = createSettlementService({
      store,
      config: loadConfig({}, { sandboxMode: true }),
      clock,
      signals: { settlementDue: () => undefined, callbacksDue: () => undefined },
      events: createPlatformEvents(),
    });
    // Their validity ends beyond what the database can store: approving them can never be written.
    const undecidable = [await duePreapproval(NOW - 2, 1e20), await duePreapproval(NOW - 2, 1e20)];
    const decidable = await duePreapproval(NOW - 1, 60);
    const errors: unknown[] = [];

    expect(await settlement.settleDue(2, (error) => errors.push(error))).toBe(0);
    expect(await settlement.settleDue(2, (error) => errors.push(error))).toBe(1);

    expect(errors).toHaveLength(2);
    expect((await store.transactions.findById(decidable.id))?.status).toBe('SUCCESSFUL');
    for (const { id } of undecidable) {
      expect(await store.transactions.findById(id)).toMatchObject({
        status: 'PENDING',
        decideAtMs: NOW + FAILED_DECISION_RETRY_MS,
      });
    }
  });
});
