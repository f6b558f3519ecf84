/** The asynchronous status every MoMo transaction moves through, and how a failure's reason is shown. */
import { Type } from '@sinclair/typebox';
import { FAILURE_REASONS } from '../error-codes.js';

export const TRANSACTION_STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const TransactionStatusSchema = Type.Union(TRANSACTION_STATUSES.map((status) => Type.Literal(status)));

/**
 * `reason` of a FAILED transaction. The seed pages document an object `{code, message}`; MTN's live platform
 * has been seen to send the bare code string. OpenMoMo sends the configured shape; clients must accept both.
 */
export const FailureReasonSchema = Type.Union([
  Type.Object({
    code: Type.Union(FAILURE_REASONS.map((code) => Type.Literal(code))),
    message: Type.String(),
  }),
  Type.String(),
]);
