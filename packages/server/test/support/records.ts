/** Records for tests that write to the store directly: a partner's API user, and a transaction of it. */
import { randomUUID } from 'node:crypto';
import type { Store, TransactionRecord } from '../../src/storage/store.js';

/** The time the records are made at, unless a test says otherwise. */
export const RECORDED_AT_MS = 1_700_000_000_000;

/** A new partner and an API user of it, in the sandbox; resolves to the API user's id. */
export async function seedApiUser(
  store: Pick<Store, 'partners' | 'apiUsers'>,
  nowMs = RECORDED_AT_MS,
): Promise<string> {
  const partnerId = randomUUID();
  const apiUserId = randomUUID();
  await store.partners.insert({ id: partnerId, name: 'partner', createdAtMs: nowMs });
  await store.apiUsers.insertIfAbsent({
    id: apiUserId,
    partnerId,
    providerCallbackHost: 'example.com',
    targetEnvironment: 'sandbox',
    createdAtMs: nowMs,
  });
  return apiUserId;
}

/** A PENDING request to pay of 15 EUR from the sandbox's approving payer, with whatever `fields` change. */
export function transactionRecord(
  fields: Partial<TransactionRecord> & Pick<TransactionRecord, 'apiUserId'>,
): TransactionRecord {
  return {
    id: randomUUID(),
    referenceId: randomUUID(),
    kind: 'REQUEST_TO_PAY',
    product: 'collection',
    targetEnvironment: 'sandbox',
    status: 'PENDING',
    reason: null,
    amountMinor: 1500n,
    currency: 'EUR',
    externalId: '6353636',
    partyIdType: 'MSISDN',
    partyId: '46733123499',
    payerMessage: null,
    payeeNote: null,
    callbackUrl: null,
    financialTransactionId: null,
    plannedOutcome: 'SUCCESSFUL',
    plannedReason: null,
    decideAtMs: null,
    awaitingPayer: false,
    requestJson: '{}',
    relatedTransactionId: null,
    validUntilMs: null,
    payeeFirstName: null,
    payeeLastName: null,
    createdAtMs: RECORDED_AT_MS,
    updatedAtMs: RECORDED_AT_MS,
    ...fields,
  };
}
