/**
 * Posts one ledger transfer inside an open store transaction: read both accounts (locking a debit that must not
 * go below zero), check the domain rules, write the transfer, its two entries and both balances. Either all of
 * it is written or none of it.
 */
import {
  checkTransfer,
  entriesOf,
  type TransferRejection,
  type TransferRequest,
} from '../domain/ledger/ledger.js';
import type { AccountRecord, Repositories } from '../storage/store.js';

export type PostTransferOutcome =
  | { readonly kind: 'posted'; readonly transferId: bigint }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: TransferRejection | 'UNKNOWN_ACCOUNT' };

export interface PostTransferInput extends TransferRequest {
  readonly transactionId: string | null;
  readonly nowMs: number;
}

export async function postTransfer(tx: Repositories, input: PostTransferInput): Promise<PostTransferOutcome> {
  const [debit, credit] = await Promise.all([
    tx.accounts.findById(input.debitAccountId),
    tx.accounts.findById(input.creditAccountId),
  ]);
  if (debit === undefined || credit === undefined) {
    return { kind: 'rejected', reason: 'UNKNOWN_ACCOUNT' };
  }
  return postTransferBetween(tx, debit, credit, input);
}

/**
 * `postTransfer` between two accounts the caller has already read (a settlement found them by owner), without
 * reading them again. Only what never changes is taken from them — id, currency, whether the account may go
 * below zero — so they may be stale: a debit that must not go below zero is read again under its lock.
 */
export async function postTransferBetween(
  tx: Repositories,
  debitAccount: AccountRecord,
  credit: AccountRecord,
  input: Omit<PostTransferInput, 'debitAccountId' | 'creditAccountId'>,
): Promise<PostTransferOutcome> {
  // Only a debit that must not go below zero needs its balance held still until commit; credits and the
  // float's debits are atomic increments. Fewer row locks, fewer lock-order cycles between postings.
  const debit = debitAccount.allowNegative
    ? debitAccount
    : (await tx.accounts.lockByIds([debitAccount.id]))[0];
  if (debit === undefined) {
    return { kind: 'rejected', reason: 'UNKNOWN_ACCOUNT' };
  }
  const request = { ...input, debitAccountId: debit.id, creditAccountId: credit.id };
  const check = checkTransfer(debit, credit, request);
  if (check.kind === 'rejected') {
    return check;
  }
  const transferId = await tx.ledger.insertTransfer({
    transferKey: request.transferKey,
    debitAccountId: request.debitAccountId,
    creditAccountId: request.creditAccountId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    transactionId: request.transactionId,
    createdAtMs: request.nowMs,
  });
  if (transferId === null) {
    return { kind: 'duplicate' };
  }
  const entries = entriesOf(request);
  await tx.ledger.insertEntries(
    entries.map((entry) => ({ ...entry, transferId, currency: request.currency })),
  );
  for (const entry of entries) {
    await tx.accounts.addToBalance(entry.accountId, entry.amountMinor);
  }
  return { kind: 'posted', transferId };
}
