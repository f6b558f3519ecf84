/** Collection invoice v2_0: a bill the intended payer pays later, or the partner cancels. */
import { type Static, Type } from '@sinclair/typebox';
import { Party } from '../common/party.js';
import { FailureReasonSchema } from '../common/transaction-status.js';

export const InvoiceBody = Type.Object(
  {
    externalId: Type.Optional(Type.String({ maxLength: 256 })),
    amount: Type.String({ description: 'Amount to pay, a positive decimal string.' }),
    currency: Type.String({ description: 'ISO4217 Currency' }),
    validityDuration: Type.String({
      description: 'Seconds the invoice can be paid in (a string of digits).',
    }),
    intendedPayer: Party,
    payee: Party,
    description: Type.Optional(Type.String({ maxLength: 160 })),
  },
  { $id: 'CreateInvoice' },
);
export type InvoiceBody = Static<typeof InvoiceBody>;

export const INVOICE_STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED', 'CANCELLED'] as const;

export const InvoiceResult = Type.Object(
  {
    referenceId: Type.String(),
    externalId: Type.Optional(Type.String()),
    amount: Type.String(),
    currency: Type.String(),
    status: Type.Union(INVOICE_STATUSES.map((status) => Type.Literal(status))),
    paymentReference: Type.String(),
    invoiceId: Type.String(),
    expiryDateTime: Type.String(),
    payeeFirstName: Type.Optional(Type.String()),
    payeeLastName: Type.Optional(Type.String()),
    errorReason: Type.Optional(FailureReasonSchema),
    intendedPayer: Party,
    description: Type.Optional(Type.String()),
  },
  { $id: 'InvoiceResult' },
);
export type InvoiceResult = Static<typeof InvoiceResult>;

export const CancelInvoiceBody = Type.Object(
  { externalId: Type.Optional(Type.String({ maxLength: 256 })) },
  { $id: 'CancelInvoice' },
);
