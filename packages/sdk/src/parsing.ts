/**
 * Tolerant reading of what MoMo servers really send: numbers where the schema says string (seed 003's
 * examples), a failure `reason` as `{code, message}` (the docs) or a bare code (MTN's live platform),
 * missing optional fields.
 */
import type { FailureReason, Party, PartyIdType, TransactionStatus } from '@openmomo/contract';

/** A documented reason code, or any other code a platform sends. */
export type FailureReasonCode = FailureReason | (string & {});

export interface FailureReasonValue {
  readonly code: FailureReasonCode;
  readonly message?: string;
}

/** A result as the client returns it: `reason`, whatever its wire shape, is `{code, message?}`. */
export type Normalized<T> = Omit<T, 'reason'> & { readonly reason?: FailureReasonValue };

type Json = Record<string, unknown>;

export const asRecord = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};

/** A string field that may arrive as a number. */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : undefined;
}

export function parseReason(value: unknown): FailureReasonValue | undefined {
  if (typeof value === 'string' && value !== '') {
    return { code: value };
  }
  const record = asRecord(value);
  const code = asText(record.code);
  if (code === undefined) {
    return undefined;
  }
  const message = asText(record.message);
  return message === undefined ? { code } : { code, message };
}

export function parseParty(value: unknown): Party {
  const record = asRecord(value);
  return {
    partyIdType: (asText(record.partyIdType) ?? 'MSISDN') as PartyIdType,
    partyId: asText(record.partyId) ?? '',
  };
}

/**
 * Statuses other MoMo clients have met besides MoMo's three (sdk-anchors §2.4): REJECTED and TIMEOUT end a
 * transaction as FAILED does; CREATED is a transaction not yet decided.
 */
const FINAL_AS_FAILED: readonly string[] = ['FAILED', 'REJECTED', 'TIMEOUT'];
export const KNOWN_STATUSES: readonly string[] = ['PENDING', 'CREATED', 'SUCCESSFUL', ...FINAL_AS_FAILED];

export function parseStatus(value: unknown): TransactionStatus {
  const status = asText(value);
  return status === 'SUCCESSFUL'
    ? status
    : status !== undefined && FINAL_AS_FAILED.includes(status)
      ? 'FAILED'
      : 'PENDING';
}

/** Copies `fields` of `raw` that are present, as text. */
export function textFields<K extends string>(raw: Json, fields: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const field of fields) {
    const text = asText(raw[field]);
    if (text !== undefined) {
      out[field] = text;
    }
  }
  return out;
}

/** The reason of a result, when there is one. */
export function reasonField(raw: Json): { reason?: FailureReasonValue } {
  const reason = parseReason(raw.reason ?? raw.errorReason);
  return reason === undefined ? {} : { reason };
}
