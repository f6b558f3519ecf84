/** Collection request-to-pay: `POST /collection/v1_0/requesttopay` and its status. */
import { type Static, Type } from '@sinclair/typebox';
import { Party } from '../common/party.js';
import { FailureReasonSchema, TransactionStatusSchema } from '../common/transaction-status.js';

/** MoMo rejects notes longer than 160 characters. */
export const NOTE_MAX_LENGTH = 160;

export const RequestToPayBody = Type.Object(
  {
    amount: Type.String({ description: 'Amount to debit from the payer, a positive decimal string.' }),
    currency: Type.String({ description: 'ISO4217 Currency' }),
    externalId: Type.Optional(
      Type.String({ maxLength: 256, description: 'Reconciliation reference; not unique.' }),
    ),
    payer: Party,
    payerMessage: Type.Optional(
      Type.String({ maxLength: NOTE_MAX_LENGTH, description: "Written in the payer's transaction history." }),
    ),
    payeeNote: Type.Optional(
      Type.String({ maxLength: NOTE_MAX_LENGTH, description: "Written in the payee's transaction history." }),
    ),
  },
  { $id: 'RequestToPay' },
);
export type RequestToPayBody = Static<typeof RequestToPayBody>;

export const RequestToPayResult = Type.Object(
  {
    amount: Type.String(),
    currency: Type.String(),
    financialTransactionId: Type.Optional(Type.String()),
    externalId: Type.Optional(Type.String()),
    payer: Party,
    payerMessage: Type.Optional(Type.String()),
    payeeNote: Type.Optional(Type.String()),
    status: TransactionStatusSchema,
    reason: Type.Optional(FailureReasonSchema),
  },
  { $id: 'RequestToPayResult' },
);
export type RequestToPayResult = Static<typeof RequestToPayResult>;

export const ReferenceIdParams = Type.Object({
  referenceId: Type.String({
    description: 'UUID of the transaction: the X-Reference-Id used when creating it.',
  }),
});
