/** SQLite through better-sqlite3: the embedded default, one file, no setup. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { observing, type QueryObserver, type StoreDialect } from './dialect.js';
import { type Flusher, writeAheadLogFlusher } from './flusher.js';

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
 * a time on this connection, so sharing one between calls is safe. `beforeStatement` is told, before each
 * statement runs, whether it changes the database (transaction control, such as COMMIT, does not).
 */
function cachingStatements(
  connection: BetterSqlite3.Database,
  beforeStatement: (writes: boolean) => void,
): BetterSqlite3.Database {
  const prepare = connection.prepare.bind(connection);
  const statements = new Map<string, { statement: BetterSqlite3.Statement; writes: boolean }>();
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let cached = statements.get(sql);
        if (cached === undefined) {
          const statement = prepare(sql);
          cached = { statement, writes: !statement.readonly };
          if (statements.size < STATEMENT_CACHE_MAX) {
            statements.set(sql, cached);
          }
        }
        beforeStatement(cached.writes);
        return cached.statement;
      };
    },
  });
}

/**
 * Counts the connection's commits for `flusher`, which puts them on disk off the event loop (decision 0027).
 * Every statement runs synchronously, so a commit is seen the next time anyone looks: writes made since the
 * last count, with the connection now outside a transaction, were committed (or rolled back, which costs only
 * a needless flush).
 */
function countingCommits(connection: BetterSqlite3.Database, flusher: Flusher) {
  let wroteUncounted = false;
  const countCommit = () => {
    if (wroteUncounted && !connection.inTransaction) {
      wroteUncounted = false;
      flusher.committed();
    }
  };
  return {
    beforeStatement(writes: boolean) {
      countCommit();
      if (writes) {
        // After a failed flush nothing more is written: what is on disk is unknown until a restart.
        flusher.assertWritable();
        wroteUncounted = true;
      }
    },
    untilDurable() {
      countCommit();
      return flusher.untilFlushed();
    },
    close: () => flusher.close(),
  };
}

export function createSqliteDialect(filePath: string, onQuery?: QueryObserver): StoreDialect {
  if (filePath !== ':memory:') {
    mkdirSync(dirname(filePath), { recursive: true });
  }
  const connection = new BetterSqlite3(filePath);
  // Amounts are bigint minor units: every integer reads back as bigint, never a rounded double.
  connection.defaultSafeIntegers(true);
  const journalMode: unknown = connection.pragma('journal_mode = WAL', { simple: true });
  // With a write-ahead log, NORMAL: SQLite writes each commit to the log without flushing it, and the store
  // flushes it off the event loop before anything that rests on it leaves the server. Without one (a file system
  // that refuses it, or memory), FULL: SQLite flushes each commit itself. Either way a 202 survives power loss.
  const flusher =
    filePath !== ':memory:' && journalMode === 'wal' ? writeAheadLogFlusher(filePath) : undefined;
  connection.pragma(flusher === undefined ? 'synchronous = FULL' : 'synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const durability = flusher === undefined ? undefined : countingCommits(connection, flusher);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: cachingStatements(connection, durability?.beforeStatement ?? (() => undefined)),
    }),
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
    ...(durability === undefined ? {} : { durability }),
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
