/**
 * Fills a running server's database with stored transactions and wallets, straight through SQL, so the
 * benchmark can show how request cost grows with table size. Rows are copies of a real request-to-pay and a
 * real payer wallet made over HTTP, so they carry whatever columns the migrations define; only identity
 * columns are rewritten. Seeded wallets open at a zero balance, so the ledger still sums to zero.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export const SEEDED_WALLETS = 10_000;
const CHUNK_ROWS = 50_000;

/** The X-Reference-Id of seeded transaction number n (1-based), a valid UUID v4 shape. */
export function seededReferenceId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

interface SqlRunner {
  run(sql: string, params: readonly unknown[]): Promise<void>;
  one(sql: string, params: readonly unknown[]): Promise<Record<string, unknown> | undefined>;
  columns(table: string): Promise<string[]>;
  /** A FROM-clause item yielding rows n = from..to. */
  series(from: number, to: number): string;
  /** n as a decimal string left-padded with zeros to width characters. */
  padded(expression: string, width: number): string;
  /**
   * Finishes the bulk load's own disk work (and, on PostgreSQL, what autovacuum would do within a minute), so
   * the next load does not pay for it: otherwise the server's first commits copy the seeding's WAL.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function sqliteRunner(file: string): SqlRunner {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  return {
    run: async (sql, params) => {
      db.prepare(sql).run(...params);
    },
    one: async (sql, params) => db.prepare(sql).get(...params) as Record<string, unknown> | undefined,
    columns: async (table) =>
      (db.prepare(`select name from pragma_table_info('${table}')`).all() as { name: string }[]).map(
        (column) => column.name,
      ),
    series: (from, to) =>
      `(with recursive s(n) as (select ${from} union all select n + 1 from s where n < ${to}) select n from s) s`,
    padded: (expression, width) => `substr('${'0'.repeat(width)}' || ${expression}, -${width})`,
    settle: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: async () => {
      db.close();
    },
  };
}

async function postgresRunner(url: string, schema: string): Promise<SqlRunner> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const positional = (sql: string) => {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  };
  return {
    run: async (sql, params) => {
      await client.query(positional(sql), [...params]);
    },
    one: async (sql, params) => (await client.query(positional(sql), [...params])).rows[0],
    columns: async (table) =>
      (
        await client.query<{ column_name: string }>(
          'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
          [schema, table],
        )
      ).rows.map((row) => row.column_name),
    series: (from, to) => `generate_series(${from}, ${to}) as s(n)`,
    padded: (expression, width) => `lpad((${expression})::text, ${width}, '0')`,
    settle: async () => {
      await client.query('analyze transactions, accounts, account_holders');
      await client.query('checkpoint');
    },
    close: () => client.end(),
  };
}

/** `insert into table (…) select …` copying the template row, with the given columns rewritten per n. */
async function copyRows(
  runner: SqlRunner,
  table: string,
  templateId: string,
  from: number,
  to: number,
  rewrite: Record<string, string>,
): Promise<void> {
  const columns = await runner.columns(table);
  const selected = columns.map((column) => rewrite[column] ?? `t.${column}`);
  for (let start = from; start <= to; start += CHUNK_ROWS) {
    const end = Math.min(to, start + CHUNK_ROWS - 1);
    await runner.run(
      `insert into ${table} (${columns.join(', ')}) select ${selected.join(', ')} from ${table} t, ${runner.series(start, end)} where t.id = ?`,
      [templateId],
    );
  }
}

export interface SeedTarget {
  readonly engine: 'sqlite' | 'postgres';
  readonly databaseUrl: string;
  readonly postgresSchema: string;
  /** The X-Reference-Id of a real request-to-pay to copy. */
  readonly templateReferenceId: string;
}

export interface Seeder {
  /** Seeds 10⁴ payer wallets (with their account holders) once. */
  wallets(): Promise<void>;
  /** Adds seeded transactions until seeded ones number `total`. */
  transactionsUpTo(total: number): Promise<void>;
  storedTransactions(): Promise<number>;
  close(): Promise<void>;
}

export async function openSeeder(target: SeedTarget): Promise<Seeder> {
  const runner =
    target.engine === 'sqlite'
      ? sqliteRunner(target.databaseUrl)
      : await postgresRunner(target.databaseUrl, target.postgresSchema);
  const template = await runner.one(
    'select id, party_id_type, party_id from transactions where reference_id = ?',
    [target.templateReferenceId],
  );
  if (template === undefined) {
    throw new Error(`no transaction with reference ${target.templateReferenceId} to copy`);
  }
  const partyId = (n: string) => `'2567' || ${runner.padded(`${n} % ${SEEDED_WALLETS}`, 8)}`;
  let seeded = 0;
  return {
    async wallets() {
      const holder = await runner.one(
        'select id from account_holders where party_id_type = ? and party_id = ?',
        [template.party_id_type, template.party_id],
      );
      const wallet = await runner.one(
        "select id from accounts where owner_type = 'ACCOUNT_HOLDER' and owner_id = ?",
        [holder?.id],
      );
      if (holder === undefined || wallet === undefined) {
        throw new Error('the template payer has no account holder or wallet to copy');
      }
      await copyRows(runner, 'account_holders', String(holder.id), 0, SEEDED_WALLETS - 1, {
        id: `'seed-holder-' || n`,
        party_id: partyId('n'),
      });
      await copyRows(runner, 'accounts', String(wallet.id), 0, SEEDED_WALLETS - 1, {
        id: `'seed-wallet-' || n`,
        owner_id: `'seed-holder-' || n`,
        balance_minor: '0',
      });
      await runner.settle();
    },
    async transactionsUpTo(total) {
      if (total <= seeded) {
        return;
      }
      await copyRows(runner, 'transactions', String(template.id), seeded + 1, total, {
        id: `'seed-tx-' || n`,
        reference_id: `'00000000-0000-4000-8000-' || ${runner.padded('n', 12)}`,
        party_id: partyId('n'),
        status: "'SUCCESSFUL'",
        decide_at_ms: 'null',
        awaiting_payer: '0',
      });
      await runner.settle();
      seeded = total;
    },
    async storedTransactions() {
      return Number((await runner.one('select count(*) as stored from transactions', []))?.stored);
    },
    close: () => runner.close(),
  };
}
