/** Transfers and deposits (Disbursement) and transfers (Remittance): a payout from the partner to a payee. */
import type { Product, TransferBody, TransferResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import { draftMoneyMovement, type TransactionDraft } from './draft.js';
import { presentMoneyMovement, type ReasonFormat } from './presentation.js';

export function draftTransfer(
  kind: 'TRANSFER' | 'DEPOSIT' | 'CASH_TRANSFER',
  product: Product,
  body: TransferBody,
  caller: AccessClaims,
): TransactionDraft | MomoFailure {
  return draftMoneyMovement({
    kind,
    product,
    caller,
    amount: body.amount,
    currency: body.currency,
    party: { field: 'payee', value: body.payee },
    externalId: body.externalId,
    payerMessage: body.payerMessage,
    payeeNote: body.payeeNote,
    texts: { payerMessage: body.payerMessage, payeeNote: body.payeeNote, externalId: body.externalId },
    request: body,
  });
}

/** Seed 003's TransferResult, also the body of deposits and refunds. */
export function presentTransfer(transaction: TransactionRecord, reasonFormat: ReasonFormat): TransferResult {
  return presentMoneyMovement(transaction, reasonFormat, 'payee');
}
