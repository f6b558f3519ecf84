/** Payment v2_0: a customer (customerReference, an MSISDN) pays the partner, approving it like a request to pay. */
import type { PaymentBody, PaymentResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import { draftMoneyMovement, type TransactionDraft } from './draft.js';
import { presentReason, presentStatus, type ReasonFormat } from './presentation.js';

export function draftPayment(body: PaymentBody, caller: AccessClaims): TransactionDraft | MomoFailure {
  return draftMoneyMovement({
    kind: 'PAYMENT',
    product: 'collection',
    caller,
    amount: body.money.amount,
    currency: body.money.currency,
    party: { field: 'customerReference', value: { partyIdType: 'MSISDN', partyId: body.customerReference } },
    externalId: body.externalTransactionId,
    payerMessage: body.senderNote,
    payeeNote: body.receiverMessage,
    texts: {
      receiverMessage: body.receiverMessage,
      senderNote: body.senderNote,
      externalTransactionId: body.externalTransactionId,
    },
    request: body,
  });
}

export function presentPayment(transaction: TransactionRecord, reasonFormat: ReasonFormat): PaymentResult {
  return {
    referenceId: transaction.referenceId,
    status: presentStatus(transaction),
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...presentReason(transaction, reasonFormat),
  };
}
