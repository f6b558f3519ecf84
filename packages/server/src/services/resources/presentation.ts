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
import { canonicalPartyId } from '../../domain/parties/party-id.js';
import type { StoredStatus, TransactionRecord } from '../../storage/store.js';

export type ReasonFormat = Config['reasonFormat'];

export function presentAmount(transaction: TransactionRecord): string {
  return formatAmount(transaction.amountMinor, CURRENCY_MINOR_UNITS[transaction.currency as Currency]);
}

/** MoMo's statuses have no CANCELLED: a cancelled invoice or request reads FAILED on the wire. */
export function presentStatus(transaction: TransactionRecord): Exclude<StoredStatus, 'CANCELLED'> {
  return transaction.status === 'CANCELLED' ? 'FAILED' : transaction.status;
}

/**
 * The body request-to-pay and transfer share, with the counterparty under `partyField`, in the key order
 * MoMo writes: amount, currency, financialTransactionId, externalId, party, notes, status, reason.
 */
export function presentMoneyMovement<PartyField extends 'payer' | 'payee'>(
  transaction: TransactionRecord,
  reasonFormat: ReasonFormat,
  partyField: PartyField,
) {
  const party = presentParty(transaction, partyField);
  return {
    amount: presentAmount(transaction),
    currency: transaction.currency,
    ...(transaction.financialTransactionId === null
      ? {}
      : { financialTransactionId: transaction.financialTransactionId }),
    ...(transaction.externalId === null ? {} : { externalId: transaction.externalId }),
    ...({ [partyField]: party } as Record<PartyField, typeof party>),
    ...(transaction.payerMessage === null ? {} : { payerMessage: transaction.payerMessage }),
    ...(transaction.payeeNote === null ? {} : { payeeNote: transaction.payeeNote }),
    status: presentStatus(transaction),
    ...presentReason(transaction, reasonFormat),
  };
}

/** `{reason}` for a FAILED transaction, in the configured shape; `{}` otherwise. */
/** The reason of a transaction that reads FAILED: a cancelled one's is MoMo's TRANSACTION_CANCELED. */
export function presentReason(
  transaction: TransactionRecord,
  format: ReasonFormat,
): { reason?: RequestToPayResult['reason'] } {
  if (transaction.status === 'CANCELLED') {
    return { reason: reasonValue(transaction.reason ?? 'TRANSACTION_CANCELED', format) };
  }
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

/**
 * The transaction's party as its request wrote it (`requestField`). It is stored in canonical form, e-mail
 * addresses and party codes lower-cased (domain/parties/party-id.ts), but MoMo echoes the party it was sent;
 * a party the request does not name (a refund's payee) is the stored one.
 */
export function presentParty(
  transaction: TransactionRecord,
  requestField: string,
): { partyIdType: TransactionRecord['partyIdType']; partyId: string } {
  const stored = { partyIdType: transaction.partyIdType, partyId: transaction.partyId };
  if (transaction.partyIdType === 'MSISDN') {
    // Stored as sent: no need to read the request.
    return stored;
  }
  const named = requestOf<Record<string, { partyId?: unknown } | undefined>>(transaction)[requestField];
  const sent = typeof named?.partyId === 'string' ? named.partyId.trim() : undefined;
  return sent !== undefined && canonicalPartyId(transaction.partyIdType, sent) === transaction.partyId
    ? { ...stored, partyId: sent }
    : stored;
}
