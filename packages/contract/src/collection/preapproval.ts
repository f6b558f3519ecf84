/** Collection pre-approval v2_0 (seed 000): the payer approves once; later requests to pay go through unprompted. */
import { type Static, Type } from '@sinclair/typebox';
import { Party } from '../common/party.js';
import { FailureReasonSchema, TransactionStatusSchema } from '../common/transaction-status.js';

/** A century: longer than any real pre-approval, and its end still a time every database can store. */
export const PREAPPROVAL_VALIDITY_MAX_SECONDS = 3_153_600_000;
/** The seed's schema does not require validityTime; left out, a pre-approval is valid for a year (decision 0020). */
export const PREAPPROVAL_VALIDITY_DEFAULT_SECONDS = 31_536_000;

export const PreapprovalBody = Type.Object(
  {
    payer: Party,
    payerCurrency: Type.String({ description: 'ISO4217 Currency of the sending account.' }),
    payerMessage: Type.Optional(
      Type.String({ maxLength: 160, description: 'The message shown to the approver.' }),
    ),
    validityTime: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: PREAPPROVAL_VALIDITY_MAX_SECONDS,
        description: `The time in seconds the pre-approval is valid once it is accepted; ${PREAPPROVAL_VALIDITY_DEFAULT_SECONDS} (a year) when left out.`,
      }),
    ),
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

export const PreapprovalIdParams = Type.Object({
  preapprovalId: Type.String({
    description: 'UUID of the pre-approval: the X-Reference-Id used when creating it (its preApprovalId).',
  }),
});

/** One approved, unexpired pre-approval, as GET /collection/v1_0/preapprovals/{type}/{id} lists it. */
export const PreapprovalDetails = Type.Object(
  {
    preApprovalId: Type.String({
      description: 'The X-Reference-Id it was created with: cancel it by this id.',
    }),
    toFri: Type.String({
      description: 'The approved partner, as a Financial Resource Identifier: FRI:<partner id>/USER.',
    }),
    fromFri: Type.String({
      description: 'The payer, as a Financial Resource Identifier: FRI:<partyId>/<partyIdType>.',
    }),
    fromCurrency: Type.String(),
    createdTime: Type.String({ description: 'When the pre-approval was requested (ISO 8601).' }),
    approvedTime: Type.String({ description: 'When the payer approved it (ISO 8601).' }),
    expiryTime: Type.String({ description: 'When it stops being valid (ISO 8601).' }),
    status: TransactionStatusSchema,
    message: Type.String({ description: 'The message the payer was shown (payerMessage), or empty.' }),
  },
  { $id: 'PreApprovalDetails' },
);
export type PreapprovalDetails = Static<typeof PreapprovalDetails>;

export const ApprovedPreapprovals = Type.Object(
  { preApprovalDetails: Type.Array(PreapprovalDetails) },
  { $id: 'PreApprovalDetailsList' },
);
export type ApprovedPreapprovals = Static<typeof ApprovedPreapprovals>;
