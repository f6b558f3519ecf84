/**
 * The kinds of asynchronous MoMo resources, and how money moves when one succeeds: COLLECT takes it from
 * the party's wallet into the partner's product account, PAYOUT the other way, NONE moves nothing (a
 * pre-approval is a permission, not a payment; a consent, asked in person, shares the holder's details).
 */

export const TRANSACTION_KINDS = [
  'REQUEST_TO_PAY',
  'REQUEST_TO_WITHDRAW',
  'PAYMENT',
  'INVOICE',
  'PREAPPROVAL',
  'TRANSFER',
  'DEPOSIT',
  'REFUND',
  'CASH_TRANSFER',
  'CONSENT',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

export type MoneyFlow = 'COLLECT' | 'PAYOUT' | 'NONE';

/** Who decides a pending transaction: the paying customer, or the platform on its own. */
export type DecidedBy = 'PAYER' | 'PLATFORM';

export const KIND_RULES: Readonly<
  Record<TransactionKind, { readonly flow: MoneyFlow; readonly decidedBy: DecidedBy }>
> = {
  REQUEST_TO_PAY: { flow: 'COLLECT', decidedBy: 'PAYER' },
  REQUEST_TO_WITHDRAW: { flow: 'COLLECT', decidedBy: 'PAYER' },
  PAYMENT: { flow: 'COLLECT', decidedBy: 'PAYER' },
  INVOICE: { flow: 'COLLECT', decidedBy: 'PAYER' },
  PREAPPROVAL: { flow: 'NONE', decidedBy: 'PAYER' },
  TRANSFER: { flow: 'PAYOUT', decidedBy: 'PLATFORM' },
  DEPOSIT: { flow: 'PAYOUT', decidedBy: 'PLATFORM' },
  REFUND: { flow: 'PAYOUT', decidedBy: 'PLATFORM' },
  CASH_TRANSFER: { flow: 'PAYOUT', decidedBy: 'PLATFORM' },
  CONSENT: { flow: 'NONE', decidedBy: 'PAYER' },
};

/** The kinds that move no money (a permission, a consent): the operator's charts leave them out. */
export const KINDS_MOVING_NO_MONEY: readonly TransactionKind[] = TRANSACTION_KINDS.filter(
  (kind) => KIND_RULES[kind].flow === 'NONE',
);

/**
 * Whether a transaction in `status` may still change. PENDING ones are decided; an approved pre-approval is a
 * standing permission its partner may cancel until it expires. Everything else is final for good.
 */
export function mayStillChange(kind: TransactionKind, status: string): boolean {
  return status === 'PENDING' || (kind === 'PREAPPROVAL' && status === 'SUCCESSFUL');
}
