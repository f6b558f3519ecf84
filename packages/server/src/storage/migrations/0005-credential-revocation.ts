/**
 * 0005: an operator can revoke an API user (its keys and its access tokens stop working) or a subscription key.
 * The row stays, so that its transactions keep their owner and a revoked sandbox key is not enrolled again on
 * its next use. Every server reads the revoked ids often (`listRevoked…`); the indexes make that read as long as
 * the list of revocations, not as the table.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_users', 'subscription_keys']) {
    await db.schema.alterTable(table).addColumn('revoked_at_ms', 'bigint').execute();
    await db.schema.createIndex(`${table}_revoked`).on(table).column('revoked_at_ms').execute();
  }
}
