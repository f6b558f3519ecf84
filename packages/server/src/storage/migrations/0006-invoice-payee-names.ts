/**
 * 0006: an invoice shows its payee's names (`payeeFirstName`, `payeeLastName`), as the account holder's profile
 * gave them when the invoice was created. Null for every other kind, and for a payee nobody knows.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('payee_first_name', 'text').execute();
  await db.schema.alterTable('transactions').addColumn('payee_last_name', 'text').execute();
}
