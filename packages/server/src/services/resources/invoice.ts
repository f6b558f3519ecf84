/** Invoice v2_0: a bill the intended payer pays within validityDuration seconds, unless the partner cancels it. */
import type { InvoiceBody, InvoiceResult } from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import { type MomoFailure, momoFailure } from '../outcomes.js';
import { draftMoneyMovement, type TransactionDraft } from './draft.js';
import {
  isoTime,
  presentAmount,
  presentParty,
  type ReasonFormat,
  reasonValue,
  requestOf,
} from './presentation.js';
import { checkParty, isFailure } from './validation.js';

/** The longest an invoice may stay payable: a year. */
const VALIDITY_SECONDS_MAX = 366 * 24 * 3600;

export function draftInvoice(body: InvoiceBody, caller: AccessClaims): TransactionDraft | MomoFailure {
  const payee = checkParty('payee', body.payee);
  if (isFailure(payee)) {
    return payee;
  }
  const validity = Number(body.validityDuration);
  if (!/^\d+$/.test(body.validityDuration) || validity < 1 || validity > VALIDITY_SECONDS_MAX) {
    return momoFailure(
      'BAD_REQUEST',
      `validityDuration must be a whole number of seconds from 1 to ${VALIDITY_SECONDS_MAX}.`,
    );
  }
  const draft = draftMoneyMovement({
    kind: 'INVOICE',
    product: 'collection',
    caller,
    amount: body.amount,
    currency: body.currency,
    party: { field: 'intendedPayer', value: body.intendedPayer },
    externalId: body.externalId,
    payerMessage: body.description,
    payeeNote: undefined,
    texts: { description: body.description, externalId: body.externalId },
    request: body,
  });
  return isFailure(draft) ? draft : { ...draft, payableForSeconds: validity, namedPayee: payee };
}

export function presentInvoice(transaction: TransactionRecord, reasonFormat: ReasonFormat): InvoiceResult {
  const request = requestOf<InvoiceBody>(transaction);
  return {
    referenceId: transaction.referenceId,
    ...(transaction.externalId === null ? {} : { externalId: transaction.externalId }),
    amount: presentAmount(transaction),
    currency: transaction.currency,
    status: transaction.status,
    // The code a payer quotes to pay it at an agent or on USSD: short, digits only, derived from the id.
    paymentReference: BigInt(`0x${transaction.id.replaceAll('-', '').slice(0, 12)}`)
      .toString()
      .slice(0, 10),
    invoiceId: transaction.id,
    expiryDateTime: isoTime(transaction.validUntilMs ?? transaction.createdAtMs),
    ...(transaction.status === 'FAILED' && transaction.reason !== null
      ? { errorReason: reasonValue(transaction.reason, reasonFormat) }
      : {}),
    ...(transaction.payeeFirstName === null ? {} : { payeeFirstName: transaction.payeeFirstName }),
    ...(transaction.payeeLastName === null ? {} : { payeeLastName: transaction.payeeLastName }),
    intendedPayer: presentParty(transaction, 'intendedPayer'),
    ...(request.description === undefined ? {} : { description: request.description }),
  };
}
