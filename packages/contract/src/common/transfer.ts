/** Transfer: a payout to a payee (disbursement transfer, deposit, refund; remittance transfer), and its status. */
import { type Static, Type } from '@sinclair/typebox';
import { NOTE_MAX_LENGTH } from '../collection/request-to-pay.js';
import { Party } from './party.js';
import { FailureReasonSchema, TransactionStatusSchema } from './transaction-status.js';

const Note = (description: string) => Type.Optional(Type.String({ maxLength: NOTE_MAX_LENGTH, description }));

export const TransferBody = Type.Object(
  {
    amount: Type.String({ description: 'Amount to credit to the payee, a positive decimal string.' }),
    currency: Type.String({ description: 'ISO4217 Currency' }),
    externalId: Type.Optional(
      Type.String({ maxLength: 256, description: 'Reconciliation reference; not unique.' }),
    ),
    payee: Party,
    payerMessage: Note("Written in the payer's transaction history."),
    payeeNote: Note("Written in the payee's transaction history."),
  },
  { $id: 'Transfer' },
);
export type TransferBody = Static<typeof TransferBody>;

export const RefundBody = Type.Object(
  {
    amount: Type.String({ description: 'Amount to refund, at most what is left of the original payment.' }),
    currency: Type.String({ description: 'ISO4217 Currency, the original payment’s.' }),
    externalId: Type.Optional(Type.String({ maxLength: 256 })),
    payerMessage: Note("Written in the payer's transaction history."),
    payeeNote: Note("Written in the payee's transaction history."),
    referenceIdToRefund: Type.String({
      description: 'X-Reference-Id of the successful collection to refund.',
    }),
  },
  { $id: 'Refund' },
);
export type RefundBody = Static<typeof RefundBody>;

/** Seed 003: the status of a transfer, deposit or refund. A failed one is answered with 200 too. */
export const TransferResult = Type.Object(
  {
    amount: Type.String(),
    currency: Type.String(),
    financialTransactionId: Type.Optional(Type.String()),
    externalId: Type.Optional(Type.String()),
    payee: Party,
    payerMessage: Type.Optional(Type.String()),
    payeeNote: Type.Optional(Type.String()),
    status: TransactionStatusSchema,
    reason: Type.Optional(FailureReasonSchema),
  },
  { $id: 'TransferResult' },
);
export type TransferResult = Static<typeof TransferResult>;
