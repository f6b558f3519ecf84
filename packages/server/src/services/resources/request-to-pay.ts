/** Request to pay and request to withdraw: the same body, the payer asked to approve a debit. */
import type { RequestToPayBody, RequestToPayResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import { draftMoneyMovement, type TransactionDraft } from './draft.js';
import { presentMoneyMovement, type ReasonFormat } from './presentation.js';

export function draftRequestToPay(
  kind: 'REQUEST_TO_PAY' | 'REQUEST_TO_WITHDRAW',
  body: RequestToPayBody,
  caller: AccessClaims,
): TransactionDraft | MomoFailure {
  return draftMoneyMovement({
    kind,
    product: 'collection',
    caller,
    amount: body.amount,
    currency: body.currency,
    party: { field: 'payer', value: body.payer },
    externalId: body.externalId,
    payerMessage: body.payerMessage,
    payeeNote: body.payeeNote,
    texts: { payerMessage: body.payerMessage, payeeNote: body.payeeNote, externalId: body.externalId },
    request: body,
  });
}

export function presentRequestToPay(
  transaction: TransactionRecord,
  reasonFormat: ReasonFormat,
): RequestToPayResult {
  return presentMoneyMovement(transaction, reasonFormat, 'payer');
}
