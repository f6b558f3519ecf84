import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../../test/support/engines.js';
import type { StoreDialect } from './dialect.js';
import { createPostgresDialect } from './postgres.js';

let dialect: StoreDialect;

function openDialect(
  options: { preparedStatements?: boolean; poolSize?: number } = {},
): Promise<StoreDialect> {
  const database = freshTestDatabase('postgres');
  return createPostgresDialect({
    connectionString: database.databaseUrl,
    ...(database.postgresSchema === undefined ? {} : { schema: database.postgresSchema }),
    // One connection: every query below runs on the connection whose prepared statements are listed.
    poolSize: 1,
    ...options,
  });
}

beforeEach(async () => {
  dialect = await openDialect();
});

afterEach(async () => {
  await dialect.db.destroy();
});

async function preparedStatements(): Promise<{ name: string; statement: string }[]> {
  const { rows } = await sql<{
    name: string;
    statement: string;
  }>`select name, statement from pg_prepared_statements order by name`.execute(dialect.db);
  return rows;
}

describe('PostgreSQL statements', () => {
  it('prepares a query with parameters once per connection, under a name', async () => {
    for (const value of [1, 2, 3]) {
      await sql`select ${value}::int as doubled_base`.execute(dialect.db);
    }

    const prepared = (await preparedStatements()).filter((row) => row.statement.includes('doubled_base'));

    expect(prepared).toHaveLength(1);
    expect(prepared[0]?.name).toMatch(/^openmomo_[0-9a-f]{40}_\d+$/);
  });

  it('answers each execution of a prepared statement with its own parameters', async () => {
    const answers = [];
    for (const value of [4, 5]) {
      const { rows } = await sql<{ doubled: bigint }>`select ${value}::int * 2 as doubled`.execute(
        dialect.db,
      );
      answers.push(rows[0]?.doubled);
    }

    expect(answers).toEqual([8n, 10n]);
  });

  it('leaves a query without parameters unnamed', async () => {
    await sql`select 41 + 1 as unnamed_answer`.execute(dialect.db);

    const prepared = (await preparedStatements()).filter((row) => row.statement.includes('unnamed_answer'));

    expect(prepared).toEqual([]);
  });

  it('names nothing when prepared statements are turned off', async () => {
    await dialect.db.destroy();
    dialect = await openDialect({ preparedStatements: false });

    await sql`select ${1}::int as not_prepared`.execute(dialect.db);

    expect(await preparedStatements()).toEqual([]);
  });

  describe('after a newer server adds a column (a rolling upgrade)', () => {
    const readProbe = (db: StoreDialect['db']) =>
      sql<{ a: bigint; b?: bigint | null }>`select * from probe where a = ${1}`.execute(db);

    beforeEach(async () => {
      await sql`create table probe (a int)`.execute(dialect.db);
      await sql`insert into probe values (1)`.execute(dialect.db);
      await readProbe(dialect.db);
      await sql`alter table probe add column b int`.execute(dialect.db);
    });

    it('prepares a statement whose table changed afresh, outside a transaction', async () => {
      const { rows } = await readProbe(dialect.db);

      expect(rows).toEqual([{ a: 1n, b: null }]);
    });

    it('fails a transaction that ran into it with a retryable error, and runs it on the retry', async () => {
      const firstRun = dialect.db.transaction().execute((tx) => readProbe(tx));
      const failure = await firstRun.then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(dialect.isRetryable(failure)).toBe(true);
      const retried = await dialect.db.transaction().execute((tx) => readProbe(tx));
      expect(retried.rows).toEqual([{ a: 1n, b: null }]);
    });
  });

  it('renames the statements of every pooled connection once one of them met a schema change', async () => {
    await dialect.db.destroy();
    dialect = await openDialect({ poolSize: 2 });
    await sql`create table probe (a int)`.execute(dialect.db);
    await sql`insert into probe values (1)`.execute(dialect.db);
    const readProbe = (db: StoreDialect['db']) =>
      sql<{ a: bigint; b?: bigint | null }>`select * from probe where a = ${1}`.execute(db);

    const inTransactionOnSecond = await dialect.db.connection().execute((first) =>
      dialect.db.connection().execute(async (second) => {
        await readProbe(first);
        await readProbe(second);
        await sql`alter table probe add column b int`.execute(first);
        await readProbe(first);
        await sql`begin`.execute(second);
        try {
          return (await readProbe(second)).rows;
        } finally {
          await sql`rollback`.execute(second);
        }
      }),
    );

    expect(inTransactionOnSecond).toEqual([{ a: 1n, b: null }]);
  });
});
