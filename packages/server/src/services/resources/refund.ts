/**
 * Refunds (Disbursement v1_0 and v2_0): money back to the payer of an earlier successful collection of the
 * same partner in the same target environment, never more than what is left of it. Checked when the request is drafted, again under a lock on
 * the original payment inside the creation's transaction (so refunds created at once are refused at once, not
 * failed later), and again when the refund is paid out (settlement-service.ts).
 */
import type { RefundBody } from '@openmomo/contract';
import { CURRENCY_MINOR_UNITS } from '@openmomo/contract';
import { formatAmount } from '../../domain/money/amount.js';
import type { TransactionKind } from '../../domain/payments/transaction-kinds.js';
import type { Store, TransactionRecord } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import { type MomoFailure, momoFailure } from '../outcomes.js';
import type { TransactionDraft } from './draft.js';
import { checkAmount, checkCurrency, checkNotes, isFailure, isUuid } from './validation.js';

/** Payments a refund may return: money that came in from a payer. */
export const REFUNDABLE_KINDS: readonly TransactionKind[] = ['REQUEST_TO_PAY', 'PAYMENT', 'INVOICE'];

export async function draftRefund(
  body: RefundBody,
  caller: AccessClaims,
  store: Store,
): Promise<TransactionDraft | MomoFailure> {
  const currency = checkCurrency(caller, body.currency);
  if (isFailure(currency)) {
    return currency;
  }
  const amountMinor = checkAmount(body.amount, currency);
  if (isFailure(amountMinor)) {
    return amountMinor;
  }
  const notes = checkNotes({
    payerMessage: body.payerMessage,
    payeeNote: body.payeeNote,
    externalId: body.externalId,
  });
  if (notes !== null) {
    return notes;
  }
  if (!isUuid(body.referenceIdToRefund)) {
    return momoFailure('BAD_REQUEST', 'referenceIdToRefund must be a UUID.');
  }
  const original = await store.transactions.findByPartnerReference(
    caller,
    body.referenceIdToRefund.toLowerCase(),
    REFUNDABLE_KINDS,
  );
  const problem = await refundProblem(store, original, { amountMinor, currency });
  if (problem !== null || original === undefined) {
    return problem ?? momoFailure('RESOURCE_NOT_FOUND');
  }
  return {
    kind: 'REFUND',
    product: 'disbursement',
    amountMinor,
    currency,
    party: { partyIdType: original.partyIdType, partyId: original.partyId },
    externalId: body.externalId ?? null,
    payerMessage: body.payerMessage ?? null,
    payeeNote: body.payeeNote ?? null,
    relatedTransactionId: original.id,
    payableForSeconds: null,
    request: body,
    // Locking the original payment serializes the creation of its refunds, as it does their payouts.
    recheckWhenCreating: async (tx) =>
      refundProblem(tx, await tx.transactions.lockById(original.id), { amountMinor, currency }),
  };
}

/** Why this payment cannot be refunded by this amount (the refund `refundId` itself when it is paid out), or null. */
export async function refundProblem(
  store: Pick<Store, 'transactions'>,
  original: TransactionRecord | undefined,
  refund: { amountMinor: bigint; currency: string; refundId?: string },
): Promise<MomoFailure | null> {
  if (original === undefined || !REFUNDABLE_KINDS.includes(original.kind)) {
    return momoFailure('RESOURCE_NOT_FOUND', 'referenceIdToRefund names no collection of this partner.');
  }
  if (original.status !== 'SUCCESSFUL') {
    return momoFailure('TRANSACTION_NOT_COMPLETED', 'Only a SUCCESSFUL payment can be refunded.');
  }
  if (original.currency !== refund.currency) {
    return momoFailure('INVALID_CURRENCY', `The payment to refund was in ${original.currency}.`);
  }
  // At creation every refund not FAILED counts (a cautious answer); at payout only those already paid, since
  // this one is among the pending ones and the others may still fail.
  const refunded = await store.transactions.sumRefundedMinor(original.id, {
    includePending: refund.refundId === undefined,
  });
  const left = original.amountMinor - refunded;
  if (refund.amountMinor > left) {
    const scale = CURRENCY_MINOR_UNITS[original.currency as keyof typeof CURRENCY_MINOR_UNITS];
    return momoFailure(
      'BAD_REQUEST',
      `amount is more than the ${formatAmount(left, scale)} ${original.currency} left to refund.`,
    );
  }
  return null;
}
