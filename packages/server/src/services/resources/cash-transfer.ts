/** Remittance cash transfer v2_0: a payout whose status body echoes every field of the request. */
import { CashTransferBody, type CashTransferResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import {
  presentAmount,
  presentParty,
  presentReason,
  presentStatus,
  type ReasonFormat,
  requestOf,
} from './presentation.js';
import { draftTransfer } from './transfer.js';
import { checkNotes } from './validation.js';

export function draftCashTransfer(
  body: CashTransferBody,
  caller: AccessClaims,
): TransactionDraft | MomoFailure {
  const names = checkNotes({ payerFirstName: body.payerFirstName, payerSurName: body.payerSurName });
  return names ?? draftTransfer('CASH_TRANSFER', 'remittance', body, caller);
}

export function presentCashTransfer(
  transaction: TransactionRecord,
  reasonFormat: ReasonFormat,
): CashTransferResult {
  const request = requestOf<CashTransferBody>(transaction);
  // Only the documented fields: a callback is not filtered by a response schema as GET is, and an unknown
  // field a client sent must not reappear in it.
  const echoed = Object.fromEntries(
    Object.entries(request).filter(([field]) => Object.hasOwn(CashTransferBody.properties, field)),
  );
  return {
    ...echoed,
    amount: presentAmount(transaction),
    currency: transaction.currency,
    payee: presentParty(transaction, 'payee'),
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    status: presentStatus(transaction),
    ...presentReason(transaction, reasonFormat),
  };
}
