/** Calls to the operator API (/admin/v1), which is open in sandbox mode without an operator token. */
import { http, type MomoResponse } from './momo-client.js';

export function admin(baseUrl: string, method: string, path: string, body?: unknown): Promise<MomoResponse> {
  return http(baseUrl, method, `/admin/v1${path}`, {
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body,
  });
}

export interface LedgerAuditBody {
  readonly balanced: boolean;
  readonly entrySumsByCurrency: Record<string, string>;
}

export async function auditLedger(baseUrl: string): Promise<LedgerAuditBody> {
  return (await admin(baseUrl, 'GET', '/ledger/audit')).body as LedgerAuditBody;
}

/** One ledger posting of a transaction, as the operator API lists it. */
export interface LedgerTransfer {
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountMinor: string;
}

/** The operator's view of an API user's transaction: its ledger postings and the callbacks it sent. */
export interface TransactionDetail {
  readonly transaction: Record<string, unknown>;
  readonly transfers: LedgerTransfer[];
  readonly callbacks: unknown[];
}

export async function transactionDetail(
  baseUrl: string,
  client: { readonly credentials: { readonly apiUserId: string } },
  referenceId: string,
): Promise<TransactionDetail> {
  const detail = await admin(
    baseUrl,
    'GET',
    `/api-users/${client.credentials.apiUserId}/transactions/${referenceId}`,
  );
  return detail.body as TransactionDetail;
}

/** The ledger postings of `client`'s transaction `referenceId`. */
export async function postingsOf(
  baseUrl: string,
  client: { readonly credentials: { readonly apiUserId: string } },
  referenceId: string,
): Promise<LedgerTransfer[]> {
  return (await transactionDetail(baseUrl, client, referenceId)).transfers;
}
