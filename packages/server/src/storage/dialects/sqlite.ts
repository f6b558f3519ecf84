/** SQLite through better-sqlite3: the embedded default, one file, no setup. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { observing, type QueryObserver, type StoreDialect } from './dialect.js';

/** Locked by another process, out of disk, or failing I/O: the file is there but cannot take the write now. */
export function isSqliteUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code);
}

/** Statements compiled once per SQL text; the cache stops growing at this size (queries are a fixed set). */
const STATEMENT_CACHE_MAX = 500;

/**
 * Kysely prepares every query anew; preparing is most of a simple query's cost in better-sqlite3. The
 * application issues a fixed set of SQL texts, so each is compiled once. Statements run synchronously, one at
 * a time on this connection, so sharing one between calls is safe.
 */
function cachingStatements(connection: BetterSqlite3.Database): BetterSqlite3.Database {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, BetterSqlite3.Statement>();
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let statement = statements.get(sql);
        if (statement === undefined) {
          statement = prepare(sql);
          if (statements.size < STATEMENT_CACHE_MAX) {
            statements.set(sql, statement);
          }
        }
        return statement;
      };
    },
  });
}

export function createSqliteDialect(filePath: string, onQuery?: QueryObserver): StoreDialect {
  if (filePath !== ':memory:') {
    mkdirSync(dirname(filePath), { recursive: true });
  }
  const connection = new BetterSqlite3(filePath);
  // Amounts are bigint minor units: every integer reads back as bigint, never a rounded double.
  connection.defaultSafeIntegers(true);
  connection.pragma('journal_mode = WAL');
  // FULL: a commit survives power loss, not only a process crash — a 202 means the money record is on disk.
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(connection) }),
    ...observing(onQuery),
  });
  const dataVersion = connection.prepare('PRAGMA data_version').pluck();
  let dataVersionThisTurn: bigint | undefined;
  const othersCommits = () => {
    if (dataVersionThisTurn === undefined) {
      dataVersionThisTurn = dataVersion.get() as bigint;
      setImmediate(() => {
        dataVersionThisTurn = undefined;
      });
    }
    return dataVersionThisTurn;
  };
  return {
    name: 'sqlite',
    db,
    rowLocks: false,
    commitsInGroups: true,
    // Another server or a CLI on the same file commits through its own connection; this one's count moves then.
    othersCommits,
    isUnavailable: isSqliteUnavailable,
    // Only another process on the same file (a CLI, a second server) can make SQLite busy.
    isRetryable: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY',
    migrationContext: {
      identityColumn: { type: 'integer', build: (column) => column.primaryKey().autoIncrement() },
    },
  };
}
