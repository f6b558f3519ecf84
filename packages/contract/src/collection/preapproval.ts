/** Collection pre-approval v2_0 (seed 000): the payer approves once; later requests to pay go through unprompted. */
import { type Static, Type } from '@sinclair/typebox';
import { Party } from '../common/party.js';
import { FailureReasonSchema, TransactionStatusSchema } from '../common/transaction-status.js';

export const PreapprovalBody = Type.Object(
  {
    payer: Party,
    payerCurrency: Type.String({ description: 'ISO4217 Currency of the sending account.' }),
    payerMessage: Type.Optional(
      Type.String({ maxLength: 160, description: 'The message shown to the approver.' }),
    ),
    validityTime: Type.Integer({
      minimum: 1,
      description: 'The time in seconds the pre-approval is valid once it is accepted.',
    }),
  },
  { $id: 'PreApproval' },
);
export type PreapprovalBody = Static<typeof PreapprovalBody>;

export const PreapprovalResult = Type.Object(
  {
    payer: Party,
    payerCurrency: Type.String(),
    payerMessage: Type.Optional(Type.String()),
    status: TransactionStatusSchema,
    expirationDateTime: Type.Optional(
      Type.String({ description: 'When an approved pre-approval stops being valid (ISO 8601).' }),
    ),
    reason: Type.Optional(FailureReasonSchema),
  },
  { $id: 'PreApprovalResult' },
);
export type PreapprovalResult = Static<typeof PreapprovalResult>;
