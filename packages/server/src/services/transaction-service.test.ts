import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { ManualClock } from '../../test/support/test-server.js';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/open-store.js';
import type { Repositories, Store } from '../storage/store.js';
import type { AccessClaims } from './access-service.js';
import { createPlatformEvents } from './context.js';
import { draftRequestToPay } from './resources/request-to-pay.js';
import { createTransactionService } from './transaction-service.js';

const NOW = 1_700_000_000_000;

describe('TransactionService creating a request to pay', () => {
  let store: Store;
  let caller: AccessClaims;
  let preapprovalLookups: number;

  /** The real store, counting the pre-approval lookups its transactions make. */
  const countingLookups = (): Store => {
    const counting = (tx: Repositories): Repositories => ({
      ...tx,
      transactions: {
        ...tx.transactions,
        hasActivePreapproval: (query) => {
          preapprovalLookups++;
          return tx.transactions.hasActivePreapproval(query);
        },
      },
    });
    return { ...store, transaction: (work) => store.transaction((tx) => work(counting(tx))) };
  };

  const requestToPayFrom = async (payer: string) => {
    const transactions = createTransactionService({
      store: countingLookups(),
      config: loadConfig({}, { sandboxMode: true }),
      clock: new ManualClock(NOW),
      signals: { settlementDue: () => undefined, callbacksDue: () => undefined },
      events: createPlatformEvents(),
    });
    const body = { amount: '15', currency: 'EUR', payer: { partyIdType: 'MSISDN' as const, partyId: payer } };
    return transactions.create({
      caller,
      referenceId: randomUUID(),
      callbackUrl: undefined,
      draft: draftRequestToPay('REQUEST_TO_PAY', body, caller),
    });
  };

  beforeEach(async () => {
    store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
    caller = {
      apiUserId: randomUUID(),
      partnerId: randomUUID(),
      product: 'collection',
      targetEnvironment: 'sandbox',
      providerCallbackHost: '127.0.0.1',
    };
    await store.partners.insert({ id: caller.partnerId, name: 'partner', createdAtMs: NOW });
    await store.apiUsers.insertIfAbsent({
      id: caller.apiUserId,
      partnerId: caller.partnerId,
      providerCallbackHost: caller.providerCallbackHost,
      targetEnvironment: 'sandbox',
      createdAtMs: NOW,
    });
    preapprovalLookups = 0;
  });
  afterEach(() => store.close());

  it('does not look up a pre-approval for a payer who is approved at once either way', async () => {
    expect(await requestToPayFrom('46733123499')).toMatchObject({ kind: 'accepted' });

    expect(preapprovalLookups).toBe(0);
  });

  it('looks up a pre-approval for a payer who would otherwise be asked in person', async () => {
    await store.accountHolders.insertIfAbsent({
      id: randomUUID(),
      partyIdType: 'MSISDN',
      partyId: '46733123400',
      givenName: 'Ama',
      familyName: 'Owusu',
      status: 'ACTIVE',
      approvalMode: 'INTERACTIVE',
      pinHash: null,
      birthdate: '',
      locale: 'en',
      gender: '',
      createdAtMs: NOW,
    });

    expect(await requestToPayFrom('46733123400')).toMatchObject({ kind: 'accepted' });

    expect(preapprovalLookups).toBe(1);
  });
});
