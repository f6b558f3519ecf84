/** The two real engines every storage and end-to-end test runs against. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** PostgreSQL the suite uses; `.ci/run` makes sure it answers (scripts/ensure-postgres.sh). */
export const TEST_POSTGRES_URL =
  process.env.OPENMOMO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly databaseUrl: string;
  /** PostgreSQL: the schema that isolates this test; undefined on SQLite (a file per test instead). */
  readonly postgresSchema: string | undefined;
}

/** A fresh, empty database location for `engine`: a new SQLite file, or a new PostgreSQL schema. */
export function freshTestDatabase(engine: Engine): TestDatabase {
  if (engine === 'sqlite') {
    return {
      databaseUrl: join(mkdtempSync(join(tmpdir(), 'openmomo-test-')), 'openmomo.db'),
      postgresSchema: undefined,
    };
  }
  // global-setup.ts gives each run its own prefix, so it drops its own schemas and no one else's.
  const prefix = process.env.OPENMOMO_TEST_SCHEMA_PREFIX ?? `test_${Math.floor(Date.now() / 1000)}_local_`;
  return { databaseUrl: TEST_POSTGRES_URL, postgresSchema: `${prefix}${randomBytes(6).toString('hex')}` };
}

/**
 * Runs `statement` on the test database directly, behind the server's back, as an operator's SQL or another
 * server would; answers the rows it selects.
 */
export async function runSqlBehindTheServer(database: TestDatabase, statement: string): Promise<unknown[]> {
  if (database.postgresSchema === undefined) {
    const connection = new BetterSqlite3(database.databaseUrl);
    try {
      const prepared = connection.prepare(statement);
      if (prepared.reader) {
        return prepared.all();
      }
      prepared.run();
      return [];
    } finally {
      connection.close();
    }
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    await client.query(`set search_path to ${database.postgresSchema}`);
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}
