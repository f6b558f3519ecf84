/**
 * Runs once around the whole suite. Test files isolate themselves in PostgreSQL schemas named test_*;
 * dropping those while other files run races with their migrations' catalog queries, so they are all
 * dropped here instead, before and after the run, when nothing else touches the database.
 */
import pg from 'pg';
import { TEST_POSTGRES_URL } from './engines.js';

async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The test suite needs PostgreSQL at ${TEST_POSTGRES_URL} (set OPENMOMO_TEST_POSTGRES_URL to use another); ` +
        `start it with scripts/ensure-postgres.sh. ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like 'test\\_%'",
    );
    for (const { nspname } of rows) {
      await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<() => Promise<void>> {
  await dropTestSchemas();
  return dropTestSchemas;
}
