/** Pieces every status body shares: the amount as MoMo writes it and the reason of a failure. */
import {
  CURRENCY_MINOR_UNITS,
  type Currency,
  ERROR_CODES,
  type ErrorCode,
  type RequestToPayResult,
} from '@openmomo/contract';
import type { Config } from '../../config.js';
import { formatAmount } from '../../domain/money/amount.js';
import type { TransactionRecord } from '../../storage/store.js';

export type ReasonFormat = Config['reasonFormat'];

export function presentAmount(transaction: TransactionRecord): string {
  return formatAmount(transaction.amountMinor, CURRENCY_MINOR_UNITS[transaction.currency as Currency]);
}

/** `{reason}` for a FAILED transaction, in the configured shape; `{}` otherwise. */
export function presentReason(
  transaction: TransactionRecord,
  format: ReasonFormat,
): { reason?: RequestToPayResult['reason'] } {
  if (transaction.status !== 'FAILED' || transaction.reason === null) {
    return {};
  }
  return { reason: reasonValue(transaction.reason, format) };
}

export function reasonValue(reason: string, format: ReasonFormat): NonNullable<RequestToPayResult['reason']> {
  if (format === 'string') {
    return reason;
  }
  const message = Object.hasOwn(ERROR_CODES, reason) ? ERROR_CODES[reason as ErrorCode].message : reason;
  return { code: reason, message } as NonNullable<RequestToPayResult['reason']>;
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The body as it was received, for fields only one resource has. */
export function requestOf<T>(transaction: TransactionRecord): Partial<T> {
  return JSON.parse(transaction.requestJson) as Partial<T>;
}
