/** Rows ⇄ records: the one place that knows integers come back as bigint and flags as 0/1. */
import type { PartyIdType, Product } from '@openmomo/contract';
import type { Selectable } from 'kysely';
import type { Database } from './database-schema.js';
import type {
  AccountHolderRecord,
  AccountHolderStatus,
  AccountOwnerType,
  AccountRecord,
  ApiUserRecord,
  ApprovalMode,
  CallbackAttemptRecord,
  OutboxRecord,
  OutboxState,
  PartnerRecord,
  StoredStatus,
  SubscriptionKeyOrigin,
  SubscriptionKeyRecord,
  TransactionEventRecord,
  TransactionKind,
  TransactionRecord,
} from './store.js';

type Row<T extends keyof Database> = Selectable<Database[T]>;

/** Milliseconds and counts fit a double exactly (below 2^53); money never goes through here. */
export const toNumber = (value: bigint | number): number => Number(value);
export const toNullableNumber = (value: bigint | number | null): number | null =>
  value === null ? null : Number(value);
export const toFlag = (value: boolean): bigint => (value ? 1n : 0n);
export const fromFlag = (value: bigint | number): boolean => BigInt(value) !== 0n;

export function toSubscriptionKey(row: Row<'subscription_keys'>): SubscriptionKeyRecord {
  return {
    keyHash: row.key_hash,
    partnerId: row.partner_id,
    product: row.product as Product | null,
    origin: row.origin as SubscriptionKeyOrigin,
    createdAtMs: toNumber(row.created_at_ms),
    revokedAtMs: row.revoked_at_ms === null ? null : toNumber(row.revoked_at_ms),
  };
}

export function toApiUser(row: Row<'api_users'>): ApiUserRecord {
  return {
    id: row.id,
    partnerId: row.partner_id,
    providerCallbackHost: row.provider_callback_host,
    targetEnvironment: row.target_environment,
    createdAtMs: toNumber(row.created_at_ms),
    revokedAtMs: row.revoked_at_ms === null ? null : toNumber(row.revoked_at_ms),
  };
}

export function toPartner(row: Row<'partners'>): PartnerRecord {
  return { id: row.id, name: row.name, createdAtMs: toNumber(row.created_at_ms) };
}

export function toAccountHolder(row: Row<'account_holders'>): AccountHolderRecord {
  return {
    id: row.id,
    partyIdType: row.party_id_type as PartyIdType,
    partyId: row.party_id,
    givenName: row.given_name,
    familyName: row.family_name,
    status: row.status as AccountHolderStatus,
    approvalMode: row.approval_mode as ApprovalMode,
    pinHash: row.pin_hash,
    birthdate: row.birthdate,
    locale: row.locale,
    gender: row.gender,
    createdAtMs: toNumber(row.created_at_ms),
  };
}

export function toAccount(row: Row<'accounts'>): AccountRecord {
  return {
    id: row.id,
    ownerType: row.owner_type as AccountOwnerType,
    ownerId: row.owner_id,
    product: row.product,
    currency: row.currency,
    balanceMinor: BigInt(row.balance_minor),
    allowNegative: fromFlag(row.allow_negative),
    createdAtMs: toNumber(row.created_at_ms),
  };
}

export function toTransaction(row: Row<'transactions'>): TransactionRecord {
  return {
    id: row.id,
    apiUserId: row.api_user_id,
    referenceId: row.reference_id,
    kind: row.kind as TransactionKind,
    product: row.product as Product,
    targetEnvironment: row.target_environment,
    status: row.status as StoredStatus,
    reason: row.reason,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    externalId: row.external_id,
    partyIdType: row.party_id_type as PartyIdType,
    partyId: row.party_id,
    payerMessage: row.payer_message,
    payeeNote: row.payee_note,
    callbackUrl: row.callback_url,
    financialTransactionId: row.financial_transaction_id,
    plannedOutcome: row.planned_outcome as 'SUCCESSFUL' | 'FAILED',
    plannedReason: row.planned_reason,
    decideAtMs: toNullableNumber(row.decide_at_ms),
    awaitingPayer: fromFlag(row.awaiting_payer),
    requestJson: row.request_json,
    relatedTransactionId: row.related_transaction_id,
    validUntilMs: toNullableNumber(row.valid_until_ms),
    payeeFirstName: row.payee_first_name,
    payeeLastName: row.payee_last_name,
    createdAtMs: toNumber(row.created_at_ms),
    updatedAtMs: toNumber(row.updated_at_ms),
  };
}

export function fromTransaction(record: TransactionRecord): Database['transactions'] {
  return {
    id: record.id,
    api_user_id: record.apiUserId,
    reference_id: record.referenceId,
    kind: record.kind,
    product: record.product,
    target_environment: record.targetEnvironment,
    status: record.status,
    reason: record.reason,
    amount_minor: record.amountMinor,
    currency: record.currency,
    external_id: record.externalId,
    party_id_type: record.partyIdType,
    party_id: record.partyId,
    payer_message: record.payerMessage,
    payee_note: record.payeeNote,
    callback_url: record.callbackUrl,
    financial_transaction_id: record.financialTransactionId,
    planned_outcome: record.plannedOutcome,
    planned_reason: record.plannedReason,
    decide_at_ms: record.decideAtMs === null ? null : BigInt(record.decideAtMs),
    awaiting_payer: toFlag(record.awaitingPayer),
    request_json: record.requestJson,
    related_transaction_id: record.relatedTransactionId,
    valid_until_ms: record.validUntilMs === null ? null : BigInt(record.validUntilMs),
    payee_first_name: record.payeeFirstName,
    payee_last_name: record.payeeLastName,
    created_at_ms: BigInt(record.createdAtMs),
    updated_at_ms: BigInt(record.updatedAtMs),
  };
}

export function toTransactionEvent(row: Row<'transaction_events'>): TransactionEventRecord {
  return {
    transactionId: row.transaction_id,
    status: row.status as StoredStatus,
    reason: row.reason,
    detail: row.detail,
    atMs: toNumber(row.at_ms),
  };
}

export function toOutbox(row: Row<'callback_outbox'>): OutboxRecord {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    url: row.url,
    method: row.method,
    bodyJson: row.body_json,
    state: row.state as OutboxState,
    attempts: toNumber(row.attempts),
    nextAttemptAtMs: toNumber(row.next_attempt_at_ms),
    leaseOwner: row.lease_owner,
    leaseUntilMs: toNullableNumber(row.lease_until_ms),
    lastError: row.last_error,
    createdAtMs: toNumber(row.created_at_ms),
    deliveredAtMs: toNullableNumber(row.delivered_at_ms),
  };
}

export function toCallbackAttempt(row: Row<'callback_attempts'>): CallbackAttemptRecord {
  return {
    outboxId: row.outbox_id,
    attempt: toNumber(row.attempt),
    startedAtMs: toNumber(row.started_at_ms),
    durationMs: toNumber(row.duration_ms),
    responseStatus: toNullableNumber(row.response_status),
    error: row.error,
  };
}
