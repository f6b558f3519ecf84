/** Pre-approval v2_0 (seed 000): a payer's standing permission, valid for validityTime seconds once approved. */
import {
  PREAPPROVAL_VALIDITY_DEFAULT_SECONDS,
  type PreapprovalBody,
  type PreapprovalDetails,
  type PreapprovalResult,
} from '@openmomo/contract';
import type { TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import {
  isoTime,
  presentParty,
  presentReason,
  presentStatus,
  type ReasonFormat,
  requestOf,
} from './presentation.js';
import { checkCurrency, checkNotes, checkParty, isFailure } from './validation.js';

export function draftPreapproval(
  body: PreapprovalBody,
  caller: AccessClaims,
): TransactionDraft | MomoFailure {
  const currency = checkCurrency(caller, body.payerCurrency);
  if (isFailure(currency)) {
    return currency;
  }
  const party = checkParty('payer', body.payer);
  if (isFailure(party)) {
    return party;
  }
  const notes = checkNotes({ payerMessage: body.payerMessage });
  if (notes !== null) {
    return notes;
  }
  return {
    kind: 'PREAPPROVAL',
    product: 'collection',
    amountMinor: 0n,
    currency,
    party,
    externalId: null,
    payerMessage: body.payerMessage ?? null,
    payeeNote: null,
    relatedTransactionId: null,
    payableForSeconds: null,
    request: body,
  };
}

/** Seconds the pre-approval stays valid once approved. */
export function preapprovalValiditySeconds(transaction: TransactionRecord): number {
  return requestOf<PreapprovalBody>(transaction).validityTime ?? PREAPPROVAL_VALIDITY_DEFAULT_SECONDS;
}

export function presentPreapproval(
  transaction: TransactionRecord,
  reasonFormat: ReasonFormat,
): PreapprovalResult {
  return {
    payer: presentParty(transaction, 'payer'),
    payerCurrency: transaction.currency,
    ...(transaction.payerMessage === null ? {} : { payerMessage: transaction.payerMessage }),
    status: presentStatus(transaction),
    ...(transaction.validUntilMs === null ? {} : { expirationDateTime: isoTime(transaction.validUntilMs) }),
    ...presentReason(transaction, reasonFormat),
  };
}

/**
 * An approved pre-approval as the list of a payer's ones shows it (decision 0020): its id is the X-Reference-Id
 * it was created with, and parties are written as MoMo's Financial Resource Identifiers.
 */
export function presentPreapprovalDetails(
  transaction: TransactionRecord,
  partnerId: string,
): PreapprovalDetails {
  return {
    preApprovalId: transaction.referenceId,
    toFri: `FRI:${partnerId}/USER`,
    fromFri: `FRI:${transaction.partyId}/${transaction.partyIdType}`,
    fromCurrency: transaction.currency,
    createdTime: isoTime(transaction.createdAtMs),
    // An approved pre-approval is written once, when the payer approves it.
    approvedTime: isoTime(transaction.updatedAtMs),
    expiryTime: isoTime(transaction.validUntilMs ?? transaction.updatedAtMs),
    status: presentStatus(transaction),
    message: transaction.payerMessage ?? '',
  };
}
