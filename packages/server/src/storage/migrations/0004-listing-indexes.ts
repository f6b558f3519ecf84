/**
 * 0004: an index under every statement that read a whole table, or sorted every row its filter matched to
 * return a few (query-plans.e2e.test.ts): the operator's newest-first lists and their filters, the dashboard's
 * charts, and a refund's look-up of the payment it returns by its partner's X-Reference-Id. The lists' indexes
 * end in creation time, so a row enters them at their right edge, as a new transaction does.
 */
import type { Kysely } from 'kysely';

const INDEXES: readonly { readonly name: string; readonly table: string; readonly columns: string[] }[] = [
  { name: 'api_users_partner', table: 'api_users', columns: ['partner_id'] },
  { name: 'api_users_created', table: 'api_users', columns: ['created_at_ms'] },
  { name: 'account_holders_created', table: 'account_holders', columns: ['created_at_ms'] },
  { name: 'accounts_created', table: 'accounts', columns: ['created_at_ms', 'id'] },
  { name: 'transactions_created', table: 'transactions', columns: ['created_at_ms', 'id'] },
  { name: 'transactions_status_created', table: 'transactions', columns: ['status', 'created_at_ms', 'id'] },
  {
    name: 'transactions_api_user_created',
    table: 'transactions',
    columns: ['api_user_id', 'created_at_ms', 'id'],
  },
  { name: 'callback_outbox_created', table: 'callback_outbox', columns: ['created_at_ms', 'id'] },
  {
    name: 'callback_outbox_state_created',
    table: 'callback_outbox',
    columns: ['state', 'created_at_ms', 'id'],
  },
  { name: 'callback_attempts_started', table: 'callback_attempts', columns: ['started_at_ms', 'id'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, table, columns } of INDEXES) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}
