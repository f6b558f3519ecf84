/** Readers of every result body, tolerant of real servers (see parsing.ts). */
import type {
  CashTransferResult,
  InvoiceResult,
  PaymentResult,
  PreapprovalDetails as PreapprovalDetailsBody,
  PreapprovalResult,
  RequestToPayResult,
  TransferResult,
} from '@openmomo/contract';
import {
  asRecord,
  asText,
  type Normalized,
  parseParty,
  parseStatus,
  reasonField,
  textFields,
} from '../parsing.js';

export type RequestToPayStatus = Normalized<RequestToPayResult>;
export type TransferStatus = Normalized<TransferResult>;
export type CashTransferStatus = Normalized<CashTransferResult>;
export type PreapprovalStatus = Normalized<PreapprovalResult>;
export type InvoiceStatus = Omit<Normalized<InvoiceResult>, 'errorReason'>;
export type PaymentStatus = Normalized<PaymentResult>;
export type PreapprovalDetails = PreapprovalDetailsBody;

const MONEY_FIELDS = [
  'amount',
  'currency',
  'financialTransactionId',
  'externalId',
  'payerMessage',
  'payeeNote',
] as const;

export function parseRequestToPay(raw: unknown): RequestToPayStatus {
  const body = asRecord(raw);
  return {
    amount: '',
    currency: '',
    ...textFields(body, MONEY_FIELDS),
    payer: parseParty(body.payer),
    status: parseStatus(body.status),
    ...reasonField(body),
  };
}

export function parseTransfer(raw: unknown): TransferStatus {
  const body = asRecord(raw);
  return {
    amount: '',
    currency: '',
    ...textFields(body, MONEY_FIELDS),
    payee: parseParty(body.payee),
    status: parseStatus(body.status),
    ...reasonField(body),
  };
}

const CASH_TRANSFER_TEXT_FIELDS = [
  'amount',
  'currency',
  'externalId',
  'orginatingCountry',
  'originalAmount',
  'originalCurrency',
  'payerMessage',
  'payeeNote',
  'payerIdentificationType',
  'payerIdentificationNumber',
  'payerIdentity',
  'payerFirstName',
  'payerSurName',
  'payerLanguageCode',
  'payerEmail',
  'payerMsisdn',
  'payerGender',
  'financialTransactionId',
] as const;

export function parseCashTransfer(raw: unknown): CashTransferStatus {
  const body = asRecord(raw);
  return {
    amount: '',
    currency: '',
    ...textFields(body, CASH_TRANSFER_TEXT_FIELDS),
    payee: parseParty(body.payee),
    status: parseStatus(body.status),
    ...reasonField(body),
  };
}

export function parsePreapproval(raw: unknown): PreapprovalStatus {
  const body = asRecord(raw);
  return {
    payerCurrency: asText(body.payerCurrency) ?? '',
    ...textFields(body, ['payerMessage', 'expirationDateTime'] as const),
    payer: parseParty(body.payer),
    status: parseStatus(body.status),
    ...reasonField(body),
  };
}

const PREAPPROVAL_DETAIL_FIELDS = [
  'preApprovalId',
  'toFri',
  'fromFri',
  'fromCurrency',
  'createdTime',
  'approvedTime',
  'expiryTime',
  'message',
] as const;

/** `{preApprovalDetails: [...]}`; a bare array is read too. */
export function parsePreapprovalDetails(raw: unknown): PreapprovalDetails[] {
  const list = Array.isArray(raw) ? raw : asRecord(raw).preApprovalDetails;
  return (Array.isArray(list) ? list : []).map((item) => {
    const body = asRecord(item);
    const fields = textFields(body, PREAPPROVAL_DETAIL_FIELDS);
    return {
      preApprovalId: fields.preApprovalId ?? '',
      toFri: fields.toFri ?? '',
      fromFri: fields.fromFri ?? '',
      fromCurrency: fields.fromCurrency ?? '',
      createdTime: fields.createdTime ?? '',
      approvedTime: fields.approvedTime ?? '',
      expiryTime: fields.expiryTime ?? '',
      message: fields.message ?? '',
      status: parseStatus(body.status),
    };
  });
}

export function parseInvoice(raw: unknown): InvoiceStatus {
  const body = asRecord(raw);
  const status = asText(body.status);
  return {
    referenceId: '',
    amount: '',
    currency: '',
    paymentReference: '',
    invoiceId: '',
    expiryDateTime: '',
    ...textFields(body, [
      'referenceId',
      'externalId',
      'amount',
      'currency',
      'paymentReference',
      'invoiceId',
      'expiryDateTime',
      'payeeFirstName',
      'payeeLastName',
      'description',
    ] as const),
    status: status === 'CANCELLED' ? 'CANCELLED' : parseStatus(status),
    intendedPayer: parseParty(body.intendedPayer),
    ...reasonField(body),
  };
}

export function parsePayment(raw: unknown): PaymentStatus {
  const body = asRecord(raw);
  return {
    referenceId: '',
    ...textFields(body, ['referenceId', 'financialTransactionId'] as const),
    status: parseStatus(body.status),
    ...reasonField(body),
  };
}
