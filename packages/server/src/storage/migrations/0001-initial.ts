/** 0001: the platform core — access, parties, ledger, transactions and the callback outbox. */
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

export async function up(db: Kysely<unknown>, { identityColumn }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscription_keys')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('product', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('provider_callback_host', 'text', (c) => c.notNull())
    .addColumn('target_environment', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('api_user_id', 'text', (c) => c.notNull().references('api_users.id'))
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_holders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('party_id_type', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('approval_mode', 'text', (c) => c.notNull())
    .addColumn('pin_hash', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('account_holders_party_unique', ['party_id_type', 'party_id'])
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addColumn('allow_negative', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('accounts_owner_unique', ['owner_type', 'owner_id', 'product', 'currency'])
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', identityColumn.type, identityColumn.build)
    .addColumn('transfer_key', 'text', (c) => c.notNull().unique())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', identityColumn.type, identityColumn.build)
    .addColumn('transfer_id', 'bigint', (c) => c.notNull().references('ledger_transfers.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_entries_account')
    .on('ledger_entries')
    .columns(['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_transaction')
    .on('ledger_transfers')
    .column('transaction_id')
    .execute();

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_user_id', 'text', (c) => c.notNull().references('api_users.id'))
    .addColumn('reference_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('target_environment', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('party_id_type', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('payer_message', 'text')
    .addColumn('payee_note', 'text')
    .addColumn('callback_url', 'text')
    .addColumn('financial_transaction_id', 'text')
    .addColumn('planned_outcome', 'text', (c) => c.notNull())
    .addColumn('planned_reason', 'text')
    .addColumn('decide_at_ms', 'bigint')
    .addColumn('awaiting_payer', 'integer', (c) => c.notNull())
    .addColumn('request_json', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    // X-Reference-Id is unique per API user, forever (MoMo answers any reuse with 409).
    .addUniqueConstraint('transactions_reference_unique', ['api_user_id', 'reference_id'])
    .execute();
  await db.schema
    .createIndex('transactions_due')
    .on('transactions')
    .columns(['status', 'decide_at_ms'])
    .execute();
  await db.schema
    .createIndex('transactions_party')
    .on('transactions')
    .columns(['party_id_type', 'party_id', 'status'])
    .execute();

  await db.schema
    .createTable('transaction_events')
    .addColumn('id', identityColumn.type, identityColumn.build)
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transaction_events_transaction')
    .on('transaction_events')
    .columns(['transaction_id', 'id'])
    .execute();

  await db.schema
    .createTable('callback_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('transactions.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until_ms', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('callback_outbox_due')
    .on('callback_outbox')
    .columns(['state', 'next_attempt_at_ms'])
    .execute();
  await db.schema
    .createIndex('callback_outbox_transaction')
    .on('callback_outbox')
    .column('transaction_id')
    .execute();

  await db.schema
    .createTable('callback_attempts')
    .addColumn('id', identityColumn.type, identityColumn.build)
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('callback_outbox.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('callback_attempts_outbox')
    .on('callback_attempts')
    .columns(['outbox_id', 'id'])
    .execute();

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
