/** Transfers and deposits (Disbursement) and transfers (Remittance): a payout from the partner to a payee. */
import type { Product, TransferBody, TransferResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import { presentAmount, presentReason, type ReasonFormat } from './presentation.js';
import { checkAmount, checkCurrency, checkNotes, checkParty, isFailure } from './validation.js';

export function draftTransfer(
  kind: 'TRANSFER' | 'DEPOSIT' | 'CASH_TRANSFER',
  product: Product,
  body: TransferBody,
  caller: AccessClaims,
): TransactionDraft | MomoFailure {
  const currency = checkCurrency(caller, body.currency);
  if (isFailure(currency)) {
    return currency;
  }
  const amountMinor = checkAmount(body.amount, currency);
  if (isFailure(amountMinor)) {
    return amountMinor;
  }
  const party = checkParty('payee', body.payee);
  if (isFailure(party)) {
    return party;
  }
  const notes = checkNotes({
    payerMessage: body.payerMessage,
    payeeNote: body.payeeNote,
    externalId: body.externalId,
  });
  if (notes !== null) {
    return notes;
  }
  return {
    kind,
    product,
    amountMinor,
    currency,
    party,
    externalId: body.externalId ?? null,
    payerMessage: body.payerMessage ?? null,
    payeeNote: body.payeeNote ?? null,
    relatedTransactionId: null,
    payableForSeconds: null,
    request: body,
  };
}

/** Seed 003's TransferResult, also the body of deposits and refunds. */
export function presentTransfer(transaction: TransactionRecord, reasonFormat: ReasonFormat): TransferResult {
  return {
    amount: presentAmount(transaction),
    currency: transaction.currency,
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...(transaction.externalId === null ? {} : { externalId: transaction.externalId }),
    payee: { partyIdType: transaction.partyIdType, partyId: transaction.partyId },
    ...(transaction.payerMessage === null ? {} : { payerMessage: transaction.payerMessage }),
    ...(transaction.payeeNote === null ? {} : { payeeNote: transaction.payeeNote }),
    status: transaction.status === 'CANCELLED' ? 'FAILED' : transaction.status,
    ...presentReason(transaction, reasonFormat),
  };
}
