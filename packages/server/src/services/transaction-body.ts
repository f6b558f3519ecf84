/**
 * A transaction as MoMo shows it: the body of its status GET and, identically, of its callback
 * (MTN: "responses from the Get status APIs follow the same format as Callbacks").
 */
import {
  CURRENCY_MINOR_UNITS,
  type Currency,
  ERROR_CODES,
  type ErrorCode,
  type RequestToPayResult,
} from '@openmomo/contract';
import type { Config } from '../config.js';
import { formatAmount } from '../domain/money/amount.js';
import type { TransactionRecord } from '../storage/store.js';

export function presentReason(reason: string, format: Config['reasonFormat']): RequestToPayResult['reason'] {
  if (format === 'string') {
    return reason;
  }
  const message = Object.hasOwn(ERROR_CODES, reason) ? ERROR_CODES[reason as ErrorCode].message : reason;
  return { code: reason, message } as RequestToPayResult['reason'];
}

export function presentRequestToPay(
  transaction: TransactionRecord,
  reasonFormat: Config['reasonFormat'],
): RequestToPayResult {
  const minorUnits = CURRENCY_MINOR_UNITS[transaction.currency as Currency];
  return {
    amount: formatAmount(transaction.amountMinor, minorUnits),
    currency: transaction.currency,
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...(transaction.externalId === null ? {} : { externalId: transaction.externalId }),
    payer: { partyIdType: transaction.partyIdType, partyId: transaction.partyId },
    ...(transaction.payerMessage === null ? {} : { payerMessage: transaction.payerMessage }),
    ...(transaction.payeeNote === null ? {} : { payeeNote: transaction.payeeNote }),
    status: transaction.status,
    ...(transaction.status === 'FAILED' && transaction.reason !== null
      ? { reason: presentReason(transaction.reason, reasonFormat) }
      : {}),
  };
}
