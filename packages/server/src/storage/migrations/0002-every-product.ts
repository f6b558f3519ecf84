/** 0002: what the other products need — refunds' original payment, validity windows, account-holder profile. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('related_transaction_id', 'text').execute();
  await db.schema.alterTable('transactions').addColumn('valid_until_ms', 'bigint').execute();
  await db.schema
    .createIndex('transactions_related')
    .on('transactions')
    .column('related_transaction_id')
    .execute();
  await db.schema
    .createIndex('transactions_preapprovals')
    .on('transactions')
    .columns(['kind', 'party_id_type', 'party_id', 'status'])
    .execute();
  await db.schema
    .alterTable('account_holders')
    .addColumn('birthdate', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('account_holders')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();
  await db.schema
    .alterTable('account_holders')
    .addColumn('gender', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
