/**
 * The database's tables as Kysely sees them. Every integer column reads back as bigint on both engines
 * (SQLite safe integers, PostgreSQL int parsers): amounts in minor units, times in epoch milliseconds,
 * flags as 0/1. Mapping to domain types happens in kysely-store.ts, nowhere else.
 */
import type { Generated } from 'kysely';

export interface PartnersTable {
  id: string;
  name: string;
  created_at_ms: bigint;
}

export interface SubscriptionKeysTable {
  /** SHA-256 of the key: the key itself is never stored. */
  key_hash: string;
  partner_id: string;
  /** Null until a sandbox-enrolled key is first used on a product path. */
  product: string | null;
  origin: string;
  created_at_ms: bigint;
  /** Set once, when an operator revokes the key. */
  revoked_at_ms: bigint | null;
}

export interface ApiUsersTable {
  id: string;
  partner_id: string;
  provider_callback_host: string;
  target_environment: string;
  created_at_ms: bigint;
  /** Set once, when an operator revokes the API user. */
  revoked_at_ms: bigint | null;
}

export interface ApiKeysTable {
  key_hash: string;
  api_user_id: string;
  created_at_ms: bigint;
}

export interface AccountHoldersTable {
  id: string;
  party_id_type: string;
  party_id: string;
  given_name: string;
  family_name: string;
  status: string;
  approval_mode: string;
  pin_hash: string | null;
  birthdate: Generated<string>;
  locale: Generated<string>;
  gender: Generated<string>;
  created_at_ms: bigint;
}

export interface AccountsTable {
  id: string;
  owner_type: string;
  owner_id: string;
  /** '' for wallets and system accounts: a wallet serves every product. */
  product: string;
  currency: string;
  balance_minor: bigint;
  allow_negative: bigint;
  created_at_ms: bigint;
}

export interface LedgerTransfersTable {
  id: Generated<bigint>;
  transfer_key: string;
  debit_account_id: string;
  credit_account_id: string;
  amount_minor: bigint;
  currency: string;
  transaction_id: string | null;
  created_at_ms: bigint;
}

export interface LedgerEntriesTable {
  id: Generated<bigint>;
  transfer_id: bigint;
  account_id: string;
  amount_minor: bigint;
  currency: string;
}

export interface TransactionsTable {
  id: string;
  api_user_id: string;
  reference_id: string;
  kind: string;
  product: string;
  target_environment: string;
  status: string;
  reason: string | null;
  amount_minor: bigint;
  currency: string;
  external_id: string | null;
  party_id_type: string;
  party_id: string;
  payer_message: string | null;
  payee_note: string | null;
  callback_url: string | null;
  financial_transaction_id: string | null;
  planned_outcome: string;
  planned_reason: string | null;
  decide_at_ms: bigint | null;
  awaiting_payer: bigint;
  request_json: string;
  /** A refund's original payment. */
  related_transaction_id: string | null;
  /** When an approved pre-approval, or an unpaid invoice, stops being valid. */
  valid_until_ms: bigint | null;
  /** An invoice's payee, as their profile named them when it was created. */
  payee_first_name: string | null;
  payee_last_name: string | null;
  created_at_ms: bigint;
  updated_at_ms: bigint;
}

export interface TransactionEventsTable {
  id: Generated<bigint>;
  transaction_id: string;
  status: string;
  reason: string | null;
  detail: string | null;
  at_ms: bigint;
}

export interface CallbackOutboxTable {
  id: string;
  transaction_id: string;
  url: string;
  method: string;
  body_json: string;
  state: string;
  attempts: bigint;
  next_attempt_at_ms: bigint;
  lease_owner: string | null;
  lease_until_ms: bigint | null;
  last_error: string | null;
  created_at_ms: bigint;
  delivered_at_ms: bigint | null;
}

export interface CallbackAttemptsTable {
  id: Generated<bigint>;
  outbox_id: string;
  attempt: bigint;
  started_at_ms: bigint;
  duration_ms: bigint;
  response_status: bigint | null;
  error: string | null;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
}

export interface AuthFailuresTable {
  client_address: string;
  failures: bigint;
  window_ends_at_ms: bigint;
}

export interface Database {
  partners: PartnersTable;
  subscription_keys: SubscriptionKeysTable;
  api_users: ApiUsersTable;
  api_keys: ApiKeysTable;
  account_holders: AccountHoldersTable;
  accounts: AccountsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_entries: LedgerEntriesTable;
  transactions: TransactionsTable;
  transaction_events: TransactionEventsTable;
  callback_outbox: CallbackOutboxTable;
  callback_attempts: CallbackAttemptsTable;
  server_secrets: ServerSecretsTable;
  auth_failures: AuthFailuresTable;
}
