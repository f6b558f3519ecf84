/** The two real engines every storage and end-to-end test runs against. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
