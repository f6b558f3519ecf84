/** Request to pay and request to withdraw: the same body, the payer asked to approve a debit. */
import type { RequestToPayBody, RequestToPayResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import { presentAmount, presentReason, type ReasonFormat } from './presentation.js';
import { checkAmount, checkCurrency, checkNotes, checkParty, isFailure } from './validation.js';

export function draftRequestToPay(
  kind: 'REQUEST_TO_PAY' | 'REQUEST_TO_WITHDRAW',
  body: RequestToPayBody,
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
  const party = checkParty('payer', body.payer);
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
    product: 'collection',
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

export function presentRequestToPay(
  transaction: TransactionRecord,
  reasonFormat: ReasonFormat,
): RequestToPayResult {
  return {
    amount: presentAmount(transaction),
    currency: transaction.currency,
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...(transaction.externalId === null ? {} : { externalId: transaction.externalId }),
    payer: { partyIdType: transaction.partyIdType, partyId: transaction.partyId },
    ...(transaction.payerMessage === null ? {} : { payerMessage: transaction.payerMessage }),
    ...(transaction.payeeNote === null ? {} : { payeeNote: transaction.payeeNote }),
    status: transaction.status === 'CANCELLED' ? 'FAILED' : transaction.status,
    ...presentReason(transaction, reasonFormat),
  };
}
