/** Payment v2_0: a customer (customerReference, an MSISDN) pays the partner, approving it like a request to pay. */
import type { PaymentBody, PaymentResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import { presentReason, type ReasonFormat } from './presentation.js';
import { checkAmount, checkCurrency, checkNotes, checkParty, isFailure } from './validation.js';

export function draftPayment(body: PaymentBody, caller: AccessClaims): TransactionDraft | MomoFailure {
  const currency = checkCurrency(caller, body.money.currency);
  if (isFailure(currency)) {
    return currency;
  }
  const amountMinor = checkAmount(body.money.amount, currency);
  if (isFailure(amountMinor)) {
    return amountMinor;
  }
  const party = checkParty('customerReference', { partyIdType: 'MSISDN', partyId: body.customerReference });
  if (isFailure(party)) {
    return party;
  }
  const notes = checkNotes({
    receiverMessage: body.receiverMessage,
    senderNote: body.senderNote,
    externalTransactionId: body.externalTransactionId,
  });
  if (notes !== null) {
    return notes;
  }
  return {
    kind: 'PAYMENT',
    product: 'collection',
    amountMinor,
    currency,
    party,
    externalId: body.externalTransactionId ?? null,
    payerMessage: body.senderNote ?? null,
    payeeNote: body.receiverMessage ?? null,
    relatedTransactionId: null,
    payableForSeconds: null,
    request: body,
  };
}

export function presentPayment(transaction: TransactionRecord, reasonFormat: ReasonFormat): PaymentResult {
  return {
    referenceId: transaction.referenceId,
    status: transaction.status === 'CANCELLED' ? 'FAILED' : transaction.status,
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...presentReason(transaction, reasonFormat),
  };
}
