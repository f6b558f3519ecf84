/**
 * Posts one ledger transfer inside an open store transaction: lock both accounts, check the domain rules,
 * write the transfer, its two entries and both balances. Either all of it is written or none of it.
 */
import {
  checkTransfer,
  entriesOf,
  type TransferRejection,
  type TransferRequest,
} from '../domain/ledger/ledger.js';
import type { Repositories } from '../storage/store.js';

export type PostTransferOutcome =
  | { readonly kind: 'posted'; readonly transferId: bigint }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: TransferRejection | 'UNKNOWN_ACCOUNT' };

export interface PostTransferInput extends TransferRequest {
  readonly transactionId: string | null;
  readonly nowMs: number;
}

export async function postTransfer(tx: Repositories, input: PostTransferInput): Promise<PostTransferOutcome> {
  const [debitRead, credit] = await Promise.all([
    tx.accounts.findById(input.debitAccountId),
    tx.accounts.findById(input.creditAccountId),
  ]);
  // Only a debit that must not go below zero needs its balance held still until commit; credits and the
  // float's debits are atomic increments. Fewer row locks, fewer lock-order cycles between postings.
  const debit =
    debitRead?.allowNegative === false ? (await tx.accounts.lockByIds([debitRead.id]))[0] : debitRead;
  if (debit === undefined || credit === undefined) {
    return { kind: 'rejected', reason: 'UNKNOWN_ACCOUNT' };
  }
  const check = checkTransfer(debit, credit, input);
  if (check.kind === 'rejected') {
    return check;
  }
  const transferId = await tx.ledger.insertTransfer({
    transferKey: input.transferKey,
    debitAccountId: input.debitAccountId,
    creditAccountId: input.creditAccountId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    transactionId: input.transactionId,
    createdAtMs: input.nowMs,
  });
  if (transferId === null) {
    return { kind: 'duplicate' };
  }
  const entries = entriesOf(input);
  await tx.ledger.insertEntries(entries.map((entry) => ({ ...entry, transferId, currency: input.currency })));
  for (const entry of entries) {
    await tx.accounts.addToBalance(entry.accountId, entry.amountMinor);
  }
  return { kind: 'posted', transferId };
}
