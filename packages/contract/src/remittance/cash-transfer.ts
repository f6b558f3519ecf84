/** Remittance cash transfer v2_0: money sent abroad for the payee to collect (MTN spells `orginatingCountry`). */
import { type Static, Type } from '@sinclair/typebox';
import { NOTE_MAX_LENGTH } from '../collection/request-to-pay.js';
import { Party } from '../common/party.js';
import { FailureReasonSchema, TransactionStatusSchema } from '../common/transaction-status.js';

const Text = (maxLength = 256) => Type.Optional(Type.String({ maxLength }));

const cashTransferFields = {
  amount: Type.String({ description: 'Amount to pay out, a positive decimal string.' }),
  currency: Type.String({ description: 'ISO4217 Currency' }),
  payee: Party,
  externalId: Text(),
  orginatingCountry: Text(64),
  originalAmount: Text(64),
  originalCurrency: Text(3),
  payerMessage: Type.Optional(Type.String({ maxLength: NOTE_MAX_LENGTH })),
  payeeNote: Type.Optional(Type.String({ maxLength: NOTE_MAX_LENGTH })),
  payerIdentificationType: Text(64),
  payerIdentificationNumber: Text(),
  payerIdentity: Text(),
  payerFirstName: Text(),
  payerSurName: Text(),
  payerLanguageCode: Text(16),
  payerEmail: Text(),
  payerMsisdn: Text(32),
  payerGender: Text(16),
};

export const CashTransferBody = Type.Object(cashTransferFields, { $id: 'CashTransfer' });
export type CashTransferBody = Static<typeof CashTransferBody>;

export const CashTransferResult = Type.Object(
  {
    ...cashTransferFields,
    financialTransactionId: Type.Optional(Type.String()),
    status: TransactionStatusSchema,
    reason: Type.Optional(FailureReasonSchema),
  },
  { $id: 'CashTransferResult' },
);
export type CashTransferResult = Static<typeof CashTransferResult>;
