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
