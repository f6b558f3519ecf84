/** 0003: authentication failures per client address, counted by every server on the database together. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_failures')
    .addColumn('client_address', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'bigint', (c) => c.notNull())
    .addColumn('window_ends_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_failures_window_end')
    .on('auth_failures')
    .column('window_ends_at_ms')
    .execute();
}
