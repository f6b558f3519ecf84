/**
 * Runs once around the whole suite. Test files isolate themselves in PostgreSQL schemas; dropping one while
 * other files run races with their migrations' catalog queries, so schemas are dropped here, after the run.
 * Each run names its schemas test_<start epoch seconds>_<random>_…, so concurrent runs on one database
 * (two developers, a helper) never drop each other's; a run that crashed leaves schemas cleared an hour later.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_POSTGRES_URL } from './engines.js';

const STALE_AFTER_SECONDS = 3600;

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
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
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropSchemas(client: pg.Client, keep: (name: string) => boolean): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(
    "select nspname from pg_namespace where nspname like 'test\\_%'",
  );
  for (const { nspname } of rows.filter((row) => !keep(row.nspname))) {
    await client.query(`drop schema if exists "${nspname}" cascade`);
  }
}

export async function setup(): Promise<() => Promise<void>> {
  const startedAtSeconds = Math.floor(Date.now() / 1000);
  const runPrefix = `test_${startedAtSeconds}_${randomBytes(3).toString('hex')}_`;
  // Forked test workers inherit this; engines.ts names every schema of this run with it.
  process.env.OPENMOMO_TEST_SCHEMA_PREFIX = runPrefix;
  await withClient((client) =>
    dropSchemas(client, (name) => {
      const startedAt = Number(/^test_(\d+)_/.exec(name)?.[1] ?? 0);
      return startedAt > startedAtSeconds - STALE_AFTER_SECONDS;
    }),
  );
  return () => withClient((client) => dropSchemas(client, (name) => !name.startsWith(runPrefix)));
}
